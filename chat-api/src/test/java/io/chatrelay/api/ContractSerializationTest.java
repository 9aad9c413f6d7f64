package io.chatrelay.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every DTO of the contract survives the serialization Dubbo uses on the wire, and an
 * older peer reads what a newer one writes (the compatibility rule of DESIGN.md §3).
 */
class ContractSerializationTest {

	private final HessianWire wire = new HessianWire();

	@AfterEach
	void close() {
		this.wire.close();
	}

	@Test
	void chatRequestRoundTripsWithMessagesOptionsAndAttributes() throws Exception {
		ChatRequest request = new ChatRequest("r-1", "acme", "wecom:u1",
				List.of(ChatMessage.system("be brief"), ChatMessage.user("你好"), ChatMessage.assistant("hi"),
						ChatMessage.user("again")),
				new ChatOptions("gpt-4o-mini", 0.2, 256), Map.of(ChatRequest.ATTR_CHANNEL, "web", "userId", "u1"));

		assertThat(this.wire.roundTrip(request)).isEqualTo(request);
	}

	@Test
	void chatRequestWithRepeatedRolesAndSharedMessagesRoundTrips() throws Exception {
		// hessian-lite 4.0.3 (Dubbo 3.3.5's own) resolves back references inside records
		// to
		// the wrong object (a repeated message or enum read as its neighbour); we pin
		// 4.0.4.
		ChatMessage shared = ChatMessage.user("same");
		ChatRequest request = new ChatRequest("r-3", "acme", "c",
				List.of(shared, ChatMessage.assistant("a"), shared, ChatMessage.assistant("b"), ChatMessage.user("q")),
				null, null);

		assertThat(this.wire.roundTrip(request)).isEqualTo(request);
	}

	@Test
	void chatRequestWithDefaultsRoundTrips() throws Exception {
		ChatRequest request = new ChatRequest("r-2", "acme", "c", List.of(ChatMessage.user("x")), null, null);

		ChatRequest read = this.wire.roundTrip(request);

		assertThat(read).isEqualTo(request);
		assertThat(read.options()).isEqualTo(ChatOptions.DEFAULTS);
	}

	@Test
	void chatReplyRoundTrips() throws Exception {
		ChatReply reply = new ChatReply("答案", "chatgpt", "gpt-4o-mini", ChatRoute.FALLBACK, "stop",
				new TokenUsage(19, 10, 29), 1234);

		ChatReply read = this.wire.roundTrip(reply);

		assertThat(read).isEqualTo(reply);
		assertThat(read.degraded()).isTrue();
	}

	@Test
	void chatChunksRoundTrip() throws Exception {
		ChatChunk delta = ChatChunk.delta("Hel");
		ChatChunk last = new ChatChunk("", "stop", new TokenUsage(1, 2, 3), "chatglm", "glm-4-flash",
				ChatRoute.DEGRADED);

		assertThat(this.wire.roundTrip(delta)).isEqualTo(delta);
		assertThat(this.wire.roundTrip(last)).isEqualTo(last);
		assertThat(this.wire.roundTrip(last).last()).isTrue();
	}

	@Test
	void failedLastChunkCarriesTheErrorCode() throws Exception {
		ChatChunk failed = ChatChunk.failure(new ChatException(ChatErrorCode.UNAUTHORIZED, "key missing"));

		ChatChunk read = this.wire.roundTrip(failed);

		assertThat(read.last()).isTrue();
		assertThat(read.finishReason()).isNull();
		assertThat(read.error().code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(read.error().getMessage()).isEqualTo("key missing");
	}

	@Test
	void smallValuesRoundTrip() throws Exception {
		assertThat(this.wire.roundTrip(new TokenUsage(7, 8, 15))).isEqualTo(new TokenUsage(7, 8, 15));
		assertThat(this.wire.roundTrip(ChatMessage.user("q"))).isEqualTo(ChatMessage.user("q"));
		assertThat(this.wire.roundTrip(ChatOptions.DEFAULTS)).isEqualTo(ChatOptions.DEFAULTS);
	}

	@Test
	void chatExceptionKeepsCodeMessageAndRetryHint() throws Exception {
		ChatException error = new ChatException(ChatErrorCode.RATE_LIMITED, "OpenAI answered 429", 2000);

		ChatException read = this.wire.roundTrip(error);

		assertThat(read.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(read.getMessage()).isEqualTo("OpenAI answered 429");
		assertThat(read.retryAfterMillis()).isEqualTo(2000);
		assertThat(read.retriable()).isTrue();
	}

	@Test
	void olderClientReadsReplyWithAnAddedOptionalField() throws Exception {
		ChatRepl2 newer = new ChatRepl2("hi", "ernie", "ernie-speed-128k", ChatRoute.DEGRADED, "stop",
				new TokenUsage(1, 1, 2), 42, "positive");

		ChatReply read = this.wire.read(renamed(this.wire.write(newer), "ChatRepl2", "ChatReply"), ChatReply.class);

		assertThat(read).isEqualTo(new ChatReply("hi", "ernie", "ernie-speed-128k", ChatRoute.DEGRADED, "stop",
				new TokenUsage(1, 1, 2), 42));
	}

	@Test
	void olderProviderReadsRequestWithAnAddedOptionalField() throws Exception {
		ChatReques2 newer = new ChatReques2("r-9", "acme", "c9", List.of(ChatMessage.user("q")), ChatOptions.DEFAULTS,
				Map.of(), "zh-CN");

		ChatRequest read = this.wire.read(renamed(this.wire.write(newer), "ChatReques2", "ChatRequest"),
				ChatRequest.class);

		assertThat(read).isEqualTo(
				new ChatRequest("r-9", "acme", "c9", List.of(ChatMessage.user("q")), ChatOptions.DEFAULTS, Map.of()));
	}

	@Test
	void renamingProbeReallyChangesTheClassOnTheWire() throws Exception {
		byte[] bytes = this.wire
			.write(new ChatRepl2("hi", "v", "m", ChatRoute.PRIMARY, "stop", TokenUsage.UNKNOWN, 1, "x"));

		assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("io.chatrelay.api.ChatRepl2");
		assertThat(new String(renamed(bytes, "ChatRepl2", "ChatReply"), StandardCharsets.ISO_8859_1))
			.contains("io.chatrelay.api.ChatReply")
			.doesNotContain("ChatRepl2");
	}

	/**
	 * Swap a class's simple name for another of the same length inside serialized bytes.
	 */
	private static byte[] renamed(byte[] bytes, String from, String to) {
		assertThat(from).hasSameSizeAs(to);
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		assertThat(text).contains("io.chatrelay.api." + from);
		return text.replace("io.chatrelay.api." + from, "io.chatrelay.api." + to).getBytes(StandardCharsets.ISO_8859_1);
	}

}
