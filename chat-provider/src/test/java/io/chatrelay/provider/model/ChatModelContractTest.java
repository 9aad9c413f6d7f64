package io.chatrelay.provider.model;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every vendor adapter must show, whatever its wire format: a whole answer,
 * a stream in order with exactly one end, the vendor's error table mapped to
 * {@link ChatErrorCode}s for calls and streams alike, and cancellation. Each adapter's
 * test extends this and stubs its vendor's exact wire format on {@link #wireMock}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ChatModelContractTest {

	/** A two-message request every contract test sends. */
	protected static final ModelRequest REQUEST = new ModelRequest(
			List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hello!")), null, null, null, "tenant-1:u-1");

	/** Stands in for the vendor; reset before each test. */
	protected WireMockServer wireMock;

	@BeforeAll
	void startVendor() {
		this.wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		this.wireMock.start();
	}

	@AfterAll
	void stopVendor() {
		this.wireMock.stop();
	}

	@BeforeEach
	void resetVendor() {
		this.wireMock.resetAll();
		stubAuthentication();
	}

	/**
	 * The adapter under test, pointed at {@link #wireMock}, with a first-token timeout of
	 * about one second.
	 * @return a new adapter
	 */
	protected abstract ChatModel model();

	/**
	 * Stub whatever the vendor needs before a chat call (a token endpoint), if anything.
	 */
	protected void stubAuthentication() {
	}

	/**
	 * Stub a whole answer in the vendor's format.
	 * @param text the answer text
	 */
	protected abstract void stubAnswer(String text);

	/**
	 * Stub a streamed answer in the vendor's format: these deltas, then the vendor's end
	 * of stream with usage.
	 * @param deltas the text deltas
	 * @param delayPerChunk pause between chunks ({@link Duration#ZERO} for none)
	 */
	protected abstract void stubStream(List<String> deltas, Duration delayPerChunk);

	/**
	 * The vendor's error table: each case stubs one failure the vendor's way.
	 * @return the cases
	 */
	protected abstract Stream<ErrorCase> errorCases();

	@Test
	void answersWithTheWholeText() {
		stubAnswer("Hello! How can I help?");

		ModelResponse response = model().call(REQUEST).join();

		assertThat(response.text()).isEqualTo("Hello! How can I help?");
		assertThat(response.model()).isNotBlank();
		assertThat(response.finishReason()).isNotBlank();
		assertThat(response.usage().totalTokens()).isPositive();
	}

	@Test
	void streamsDeltasInOrderThenEndsExactlyOnce() {
		stubStream(List.of("Hel", "lo", ", wor", "ld!"), Duration.ZERO);
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(REQUEST, listener);

		Object end = listener.terminal.orTimeout(5, TimeUnit.SECONDS).join();
		assertThat(end).isInstanceOf(RecordingStreamListener.Completion.class);
		assertThat(String.join("", listener.deltas)).isEqualTo("Hello, world!");
		assertThat(listener.deltas).containsSubsequence("Hel", "lo", ", wor", "ld!");
		RecordingStreamListener.Completion completion = (RecordingStreamListener.Completion) end;
		assertThat(completion.finishReason()).isNotBlank();
		assertThat(completion.usage().totalTokens()).isPositive();
		assertThat(listener.terminalCalls).hasValue(1);
		assertThat(listener.callsAfterTerminal).hasValue(0);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("errorCases")
	void mapsVendorErrorsForCalls(ErrorCase errorCase) {
		errorCase.stub().run();

		assertThatThrownBy(() -> model().call(REQUEST).join()).cause()
			.isInstanceOf(ChatException.class)
			.satisfies((ex) -> assertThat(((ChatException) ex).code()).isEqualTo(errorCase.expected()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("errorCases")
	void mapsVendorErrorsForStreams(ErrorCase errorCase) {
		errorCase.stub().run();
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(REQUEST, listener);

		Object end = listener.terminal.orTimeout(10, TimeUnit.SECONDS).join();
		assertThat(end).isInstanceOf(ChatException.class);
		assertThat(((ChatException) end).code()).isEqualTo(errorCase.expected());
		assertThat(listener.terminalCalls).hasValue(1);
	}

	@Test
	void cancelledStreamDeliversNothingMore() throws InterruptedException {
		stubStream(List.of("one ", "two ", "three ", "four ", "five ", "six "), Duration.ofMillis(300));
		RecordingStreamListener listener = new RecordingStreamListener();

		ModelStream stream = model().stream(REQUEST, listener);
		await().atMost(Duration.ofSeconds(5)).until(() -> !listener.deltas.isEmpty());
		stream.cancel();
		int seen = listener.deltas.size();
		Thread.sleep(1500);

		assertThat(listener.deltas).hasSize(seen);
		assertThat(listener.terminal).isNotDone();
	}

	/**
	 * One row of a vendor's error table.
	 *
	 * @param name what the vendor does
	 * @param stub stubs it on the vendor stand-in
	 * @param expected the code the adapter must report
	 */
	public record ErrorCase(String name, Runnable stub, ChatErrorCode expected) {

		@Override
		public String toString() {
			return this.name + " -> " + this.expected;
		}

	}

}
