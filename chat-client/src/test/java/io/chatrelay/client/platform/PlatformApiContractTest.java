package io.chatrelay.client.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.dispatch.PendingReplies;
import io.chatrelay.client.dispatch.ReplySender;
import io.chatrelay.client.dispatch.SendingResponder;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.OutboundTestSupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.chatrelay.client.platform.OutboundTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every platform's API client keeps, the counterpart of the provider's
 * {@code ChatModelContractTest}: one access token fetched and shared (also by concurrent
 * sends), fetched again and the send repeated once when the platform says the token
 * expired, and no more than once; server errors, throttling and timeouts retriable,
 * refusals final, rejected credentials final without a send; no token or secret in an
 * error message; and, through the channel's {@link ReplySender}, a long reply sent in
 * parts in order, a part the platform refused for now retried on its own without the
 * parts before it.
 *
 * <p>
 * A platform's API test extends this on a loopback WireMock ({@link #wireMock}) and says
 * where its token and send endpoints are and what the platform answers; its own tests
 * keep what only that platform does (its error codes, bodies and limits).
 */
public abstract class PlatformApiContractTest {

	/** A clock the test moves; start of 2026. */
	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	/** The platform's API stand-in. */
	protected WireMockServer wireMock;

	@BeforeEach
	final void startPlatform() {
		this.wireMock = OutboundTestSupport.startWireMock();
	}

	@AfterEach
	final void stopPlatform() {
		this.wireMock.stop();
	}

	private final String tokenA;

	private final String tokenB;

	private final String secret;

	/**
	 * Create the contract of one platform.
	 * @param tokenA the token the platform hands out first
	 * @param tokenB the token it hands out next
	 * @param secret the app secret the client is built with; never in an error message
	 */
	protected PlatformApiContractTest(String tokenA, String tokenB, String secret) {
		this.tokenA = tokenA;
		this.tokenB = tokenB;
		this.secret = secret;
	}

	/**
	 * @return the token endpoint, to stub
	 */
	protected abstract MappingBuilder tokenMapping();

	/**
	 * @return the token endpoint, to verify
	 */
	protected abstract RequestPatternBuilder tokenRequested();

	/**
	 * The token endpoint's answer.
	 * @param token the token it hands out (valid for two hours)
	 * @return the answer
	 */
	protected abstract ResponseDefinitionBuilder tokenAnswer(String token);

	/**
	 * @return the token endpoint's answer to a wrong app secret
	 */
	protected abstract ResponseDefinitionBuilder credentialsRejected();

	/**
	 * The send endpoint {@link #send} calls, with this token, to stub.
	 * @param token the token
	 * @return the mapping
	 */
	protected abstract MappingBuilder sendMapping(String token);

	/**
	 * The send endpoint {@link #send} calls, with this token, to verify.
	 * @param token the token
	 * @return the pattern
	 */
	protected abstract RequestPatternBuilder sendWith(String token);

	/**
	 * @return the send endpoint's answer to a message sent
	 */
	protected abstract ResponseDefinitionBuilder sent();

	/**
	 * @return the send endpoint's answer when the token expired or is invalid
	 */
	protected abstract ResponseDefinitionBuilder tokenExpired();

	/**
	 * @return the answer to a send with the fresh token that is rejected all the same
	 */
	protected ResponseDefinitionBuilder tokenRejectedAgain() {
		return tokenExpired();
	}

	/**
	 * @return the send endpoint's answer when the app sends too much (retriable)
	 */
	protected abstract ResponseDefinitionBuilder throttled();

	/**
	 * @return the send endpoint's answer refusing the message for good
	 */
	protected abstract ResponseDefinitionBuilder refused();

	/**
	 * Send one text through the API client (timeout 5 s) to the endpoint of
	 * {@link #sendMapping}.
	 * @param text the text
	 * @return the send
	 */
	protected abstract CompletableFuture<Void> send(String text);

	/**
	 * @return the channel's reply sender, on the same API client settings
	 */
	protected abstract ReplySender replySender();

	/**
	 * @return a message whose reply goes to the endpoint of {@link #sendMapping}
	 */
	protected abstract ChannelMessage replyAddress();

	/**
	 * The text a send request carried.
	 * @param request the request
	 * @return the text
	 */
	protected abstract String sentText(LoggedRequest request);

	/**
	 * What this platform says when the fresh token is rejected too.
	 * @param error the failure
	 */
	protected void assertTokenRejected(PlatformApiException error) {
	}

	/**
	 * What this platform says about rejected credentials.
	 * @param error the failure
	 */
	protected void assertCredentialsRejected(PlatformApiException error) {
	}

	/**
	 * Stub the token endpoint to hand out one token.
	 * @param token the token
	 */
	protected final void stubToken(String token) {
		this.wireMock.stubFor(tokenMapping().willReturn(tokenAnswer(token)));
	}

	/** Stub the token endpoint to hand out the first token, then the next. */
	protected final void stubTokensAThenB() {
		this.wireMock.stubFor(tokenMapping().inScenario("tokens")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(tokenAnswer(this.tokenA))
			.willSetStateTo("second"));
		this.wireMock.stubFor(
				tokenMapping().inScenario("tokens").whenScenarioStateIs("second").willReturn(tokenAnswer(this.tokenB)));
	}

	/**
	 * Stub the send endpoint's answer to one token.
	 * @param token the token
	 * @param response the answer
	 */
	protected final void stubSend(String token, ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(sendMapping(token).willReturn(response));
	}

	@Test
	void concurrentSendsShareOneTokenFetch() {
		this.wireMock.stubFor(tokenMapping().willReturn(tokenAnswer(this.tokenA).withFixedDelay(200)));
		stubSend(this.tokenA, sent());

		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sends.add(send("part " + i));
		}
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

		this.wireMock.verify(1, tokenRequested());
		this.wireMock.verify(20, sendWith(this.tokenA));
	}

	@Test
	void refetchesTheTokenAndResendsOnceWhenItExpired() {
		stubTokensAThenB();
		stubSend(this.tokenA, tokenExpired());
		stubSend(this.tokenB, sent());

		send("hello").join();

		this.wireMock.verify(2, tokenRequested());
		this.wireMock.verify(1, sendWith(this.tokenA));
		this.wireMock.verify(1, sendWith(this.tokenB));
	}

	@Test
	void givesUpWhenTheNewTokenIsRejectedToo() {
		stubTokensAThenB();
		stubSend(this.tokenA, tokenExpired());
		stubSend(this.tokenB, tokenRejectedAgain());

		PlatformApiException error = failure(send("hello"));

		assertThat(error.retriable()).isFalse();
		assertTokenRejected(error);
		this.wireMock.verify(1, sendWith(this.tokenA));
		this.wireMock.verify(1, sendWith(this.tokenB));
	}

	@Test
	void treatsServerErrorsAsRetriable() {
		stubToken(this.tokenA);
		stubSend(this.tokenA, aResponse().withStatus(503).withBody("<html>busy</html>"));

		PlatformApiException error = failure(send("hello"));

		assertThat(error.status()).isEqualTo(503);
		assertThat(error.code()).isNull();
		assertThat(error.retriable()).isTrue();
	}

	@Test
	void treatsThrottlingAsRetriableAndARefusalAsFinalWithoutSecrets() {
		stubToken(this.tokenA);
		stubSend(this.tokenA, throttled());

		PlatformApiException throttledError = failure(send("hello"));

		stubSend(this.tokenA, refused());
		PlatformApiException refusedError = failure(send("hello"));

		assertThat(throttledError.retriable()).isTrue();
		assertThat(refusedError.retriable()).isFalse();
		assertThat(refusedError.code()).isNotBlank();
		assertThat(List.of(throttledError.getMessage(), refusedError.getMessage()))
			.allSatisfy((message) -> assertThat(message).doesNotContain(this.tokenA, this.secret));
		this.wireMock.verify(1, tokenRequested());
	}

	@Test
	void failsWithoutSendingWhenTheCredentialsAreRejected() {
		this.wireMock.stubFor(tokenMapping().willReturn(credentialsRejected()));

		PlatformApiException error = failure(send("hello"));

		assertThat(error.retriable()).isFalse();
		assertThat(error.getMessage()).doesNotContain(this.secret);
		assertCredentialsRejected(error);
		this.wireMock.verify(0, sendWith(this.tokenA));
	}

	@Test
	void sendsALongReplyInPartsInOrderRetryingOnlyThePartRefusedForNow() {
		stubToken(this.tokenA);
		// Part 1 goes through, part 2 is throttled once, then everything goes through.
		this.wireMock.stubFor(sendMapping(this.tokenA).inScenario("parts")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(sent())
			.willSetStateTo("throttle"));
		this.wireMock.stubFor(sendMapping(this.tokenA).inScenario("parts")
			.whenScenarioStateIs("throttle")
			.willReturn(throttled())
			.willSetStateTo("open"));
		this.wireMock
			.stubFor(sendMapping(this.tokenA).inScenario("parts").whenScenarioStateIs("open").willReturn(sent()));
		ReplySender sender = replySender();
		String text = longText(sender.partLimitBytes());
		List<String> parts = TextSplitter.split(text, sender.partLimitBytes());
		ExecutorService work = Executors.newSingleThreadExecutor();
		try {
			SendingResponder responder = new SendingResponder(null, sender, PendingReplies.NONE, 3,
					Duration.ofMillis(10), work);

			assertThat(responder.apologise(replyAddress(), text).join()).isEqualTo(Result.DELIVERED);
		}
		finally {
			work.shutdownNow();
		}

		assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
		List<String> expected = new ArrayList<>(parts);
		expected.add(1, parts.get(1));
		assertThat(this.wireMock.findAll(sendWith(this.tokenA)).stream().map(this::sentText).toList())
			.containsExactlyElementsOf(expected);
	}

	/** About two and a half parts of numbered lines. */
	private static String longText(int partLimitBytes) {
		StringBuilder text = new StringBuilder();
		for (int line = 1; text.length() < partLimitBytes * 5 / 2; line++) {
			text.append("line ").append(line).append(": the quick brown fox jumps over the lazy dog\n");
		}
		return text.toString().strip();
	}

}
