package io.chatrelay.provider.model.zhipu;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.RecordingStreamListener;
import io.chatrelay.provider.model.RecordingStreamListener.Completion;
import io.chatrelay.provider.model.TestVectors;
import io.chatrelay.provider.model.compat.CompatChatModel;
import io.chatrelay.provider.model.zhipu.ZhipuJwtSignerTest.MutableClock;
import io.chatrelay.provider.model.zhipu.ZhipuProperties.AuthMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class ZhipuChatModelTest {

	private static final JsonNode VECTOR = TestVectors.load("llm-zhipu.json");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

	private static final String SECRET = "SeCrEt0123456789";

	private static final String API_KEY = ID + "." + SECRET;

	private static final long NOW_MS = 1_700_000_000_000L;

	private static final String PATH = "/api/paas/v4/chat/completions";

	private static final ModelRequest REQUEST = new ModelRequest(
			List.of(ChatMessage.system("You are a helpful assistant."), ChatMessage.user("Hello!")), null, 0.2, 100,
			"tenant-1:user-7");

	private final HttpClient httpClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final MutableClock clock = new MutableClock(NOW_MS);

	private WireMockServer wireMock;

	@BeforeEach
	void startWireMock() {
		this.wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		this.wireMock.start();
	}

	@AfterEach
	void stopWireMock() {
		this.wireMock.stop();
	}

	@Test
	void answersWithVectorResponseAfterSendingVectorRequestWithSignedJwt() throws Exception {
		stubJson(VECTOR.at("/non_stream/response_body").toString());
		JsonNode vectorBody = VECTOR.at("/non_stream/request/body");
		List<ChatMessage> messages = new ArrayList<>();
		vectorBody.get("messages")
			.forEach((m) -> messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));

		ModelResponse response = model(AuthMode.AUTO, API_KEY)
			.call(new ModelRequest(messages, vectorBody.get("model").asText(), null, null, null))
			.join();

		assertThat(response)
			.isEqualTo(new ModelResponse(VECTOR.at("/non_stream/response_body/choices/0/message/content").asText(),
					"glm-4-plus", "stop", new TokenUsage(31, 217, 248)));
		ObjectNode expectedBody = vectorBody.deepCopy();
		expectedBody.put("stream", false);
		this.wireMock.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson(expectedBody.toString())));
		String token = bearer(onlyRequest());
		assertThat(verifies(token, SECRET)).isTrue();
		JsonNode claims = JSON.readTree(decode(token.split("\\.")[1]));
		assertThat(claims.get("api_key").asText()).isEqualTo(ID);
		assertThat(claims.get("timestamp").asLong()).isEqualTo(NOW_MS);
		assertThat(claims.get("exp").asLong()).isEqualTo(NOW_MS + 210_000);
		assertThat(JSON.readTree(decode(token.split("\\.")[0])).get("sign_type").asText()).isEqualTo("SIGN");
	}

	@Test
	void streamSendsOptionsAndUserIdButNoStreamOptions() {
		stubStream(VECTOR.at("/stream/sse_lines").get(5).asText() + "\n\ndata: [DONE]\n\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5));
		this.wireMock.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Accept", equalTo("text/event-stream"))
			.withRequestBody(equalToJson("""
					{"model": "glm-4-flash",
					 "messages": [{"role": "system", "content": "You are a helpful assistant."},
					              {"role": "user", "content": "Hello!"}],
					 "stream": true, "temperature": 0.2, "max_tokens": 100, "user_id": "tenant-1:user-7"}
					""")));
	}

	@Test
	void reusesTheTokenAndSignsANewOneAfterZhipuRejectsIt() {
		stubJson(VECTOR.at("/non_stream/response_body").toString());
		CompatChatModel model = model(AuthMode.JWT, API_KEY);

		model.call(REQUEST).join();
		this.clock.advance(Duration.ofSeconds(10));
		model.call(REQUEST).join();
		this.wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401)
			.withBody("{\"error\":{\"code\":\"1003\",\"message\":\"Authentication Token已过期\"}}")));
		ChatException rejected = callError(model);
		this.clock.advance(Duration.ofSeconds(1));
		callError(model);

		List<String> tokens = this.wireMock.findAll(postRequestedFor(urlEqualTo(PATH)))
			.stream()
			.map(ZhipuChatModelTest::bearer)
			.toList();
		assertThat(tokens).hasSize(4);
		assertThat(tokens.get(1)).isEqualTo(tokens.get(0));
		assertThat(tokens.get(2)).isEqualTo(tokens.get(0));
		assertThat(tokens.get(3)).isNotEqualTo(tokens.get(2));
		assertThat(rejected.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
	}

	@Test
	void sendsTheKeyItselfInBearerMode() {
		stubJson(VECTOR.at("/non_stream/response_body").toString());

		model(AuthMode.BEARER, API_KEY).call(REQUEST).join();
		model(AuthMode.AUTO, "plain-key-without-dot").call(REQUEST).join();

		List<String> tokens = this.wireMock.findAll(postRequestedFor(urlEqualTo(PATH)))
			.stream()
			.map(ZhipuChatModelTest::bearer)
			.toList();
		assertThat(tokens).containsExactly(API_KEY, "plain-key-without-dot");
	}

	@Test
	void failsWithoutSendingAnythingWhenApiKeyIsBlankOrUnsignable() {
		RecordingStreamListener listener = new RecordingStreamListener();

		ChatException blank = callError(model(AuthMode.AUTO, "  "));
		model(AuthMode.AUTO, "").stream(REQUEST, listener);
		ChatException unsignable = callError(model(AuthMode.JWT, "plain-key-without-dot"));

		assertThat(blank.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(blank.getMessage()).isEqualTo("Zhipu API key is not configured");
		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(unsignable.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(unsignable.getMessage()).doesNotContain("plain-key");
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void sendsUserIdOnlyWithinSixTo128Characters() throws Exception {
		stubJson(VECTOR.at("/non_stream/response_body").toString());
		CompatChatModel model = model(AuthMode.AUTO, API_KEY);
		List<String> users = List.of("12345", "123456", "u".repeat(128), "u".repeat(129), "用户");

		for (String user : users) {
			model.call(new ModelRequest(REQUEST.messages(), null, null, null, user)).join();
		}

		List<JsonNode> bodies = new ArrayList<>();
		for (LoggedRequest request : this.wireMock.findAll(postRequestedFor(urlEqualTo(PATH)))) {
			bodies.add(JSON.readTree(request.getBodyAsString()));
		}
		assertThat(bodies).extracting((body) -> body.path("user_id").asText(null))
			.containsExactly(null, "123456", "u".repeat(128), null, null);
		assertThat(ZhipuDialect.userId("😀😀😀😀😀😀")).as("six code points").isNotNull();
		assertThat(ZhipuDialect.userId(null)).isNull();
	}

	@Test
	void parsesTheVectorStreamWithoutBlankLines() {
		List<String> lines = new ArrayList<>();
		VECTOR.at("/stream/sse_lines").forEach((line) -> lines.add(line.asText()));
		stubStream(String.join("\n", lines) + "\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("glm-4-plus", "length", new TokenUsage(60, 100, 160)));
		assertThat(listener.deltas).containsExactly("土", "星", "，", "主要由");
		assertThat(listener.terminalCalls).hasValue(1);
	}

	@Test
	void failsWholeAnswerFinishedAsSensitiveWithoutEchoingIt() {
		stubJson(answer("这段内容不应出现在错误里", "sensitive"));

		ChatException error = callError(model(AuthMode.AUTO, API_KEY));

		assertThat(error.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(error.getMessage()).contains("sensitive").doesNotContain("这段内容");
	}

	@Test
	void failsWholeAnswerFinishedWithNetworkErrorAsRetriable() {
		stubJson(answer("半截", "network_error"));

		ChatException error = callError(model(AuthMode.AUTO, API_KEY));

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.retriable()).isTrue();
	}

	@Test
	void endsStreamAsContentFilteredWhenSensitiveComesFirst() {
		stubStream(chunk("", "sensitive") + "data: [DONE]\n\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(listener.deltas).isEmpty();
	}

	@Test
	void endsStreamAsContentFilteredWhenSensitiveComesAfterText() {
		stubStream(chunk("第一句", null) + chunk("被拦截", "sensitive") + "data: [DONE]\n\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(error.getMessage()).contains("after it had started");
		assertThat(listener.deltas).containsExactly("第一句");
		assertThat(listener.terminalCalls).hasValue(1);
	}

	@Test
	void endsStreamAsUnavailableOnNetworkErrorFinish() {
		stubStream(chunk("Hel", null) + chunk("", "network_error") + "data: [DONE]\n\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(listener.deltas).containsExactly("Hel");
	}

	@Test
	void endsStreamWithMappedErrorOnMidStreamErrorEvent() {
		stubStream(chunk("Hello", null)
				+ "data: {\"error\":{\"code\":\"1301\",\"message\":\"系统检测到输入或生成内容可能包含不安全或敏感内容\"}}\n\n"
				+ chunk(" never delivered", null) + "data: [DONE]\n\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(error.getMessage()).contains("(1301)");
		assertThat(listener.deltas).containsExactly("Hello");
		assertThat(listener.terminalCalls).hasValue(1);
		assertThat(listener.callsAfterTerminal).hasValue(0);
	}

	@Test
	void mapsAJsonErrorAnsweredToAStreamRequest() {
		this.wireMock
			.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"code\":\"1305\",\"message\":\"当前API请求过多，请稍后重试\"}}")));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
	}

	@Test
	void failsStreamThatEndsWithoutFinishReasonOrDone() {
		stubStream(chunk("Hel", null) + chunk("lo", null));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(AuthMode.AUTO, API_KEY).stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.getMessage()).contains("ended early");
		assertThat(listener.deltas).containsExactly("Hel", "lo");
	}

	@Test
	void timesOutStreamThatOutlivesTotalTimeout() {
		String body = IntStream.range(0, 40).mapToObj((i) -> chunk("w" + i + " ", null)).collect(Collectors.joining())
				+ chunk("", "stop") + "data: [DONE]\n\n";
		stub(aResponse().withHeader("Content-Type", "text/event-stream")
			.withBody(body)
			.withChunkedDribbleDelay(40, 4000));
		RecordingStreamListener listener = new RecordingStreamListener();
		CompatChatModel model = ZhipuConfiguration.chatModel(new ZhipuProperties(baseUrl(), API_KEY, null, null,
				Duration.ofSeconds(3), Duration.ofMillis(1200), null, null), this.httpClient, this.clock);

		model.stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.TIMEOUT);
		assertThat(error.getMessage()).contains("did not finish");
	}

	@Test
	void rejectsUnknownMessageRoleWithoutSending() {
		ModelRequest request = new ModelRequest(List.of(new ChatMessage("tool", "{}")), null, null, null, null);

		ChatException error = callError(model(AuthMode.AUTO, API_KEY), request);

		assertThat(error.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void mapsConnectionRefusedToUnavailable() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		CompatChatModel model = ZhipuConfiguration.chatModel(
				new ZhipuProperties("http://127.0.0.1:" + closedPort, API_KEY, null, null, null, null, null, null),
				this.httpClient, this.clock);

		ChatException error = callError(model);

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.getMessage()).doesNotContain("Exception");
	}

	@Test
	void reportsItsVendorName() {
		assertThat(model(AuthMode.AUTO, API_KEY).vendor()).isEqualTo("chatglm");
	}

	private CompatChatModel model(AuthMode authMode, String apiKey) {
		return ZhipuConfiguration.chatModel(new ZhipuProperties(baseUrl(), apiKey, null, Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(10), authMode, null), this.httpClient, this.clock);
	}

	private String baseUrl() {
		return "http://127.0.0.1:" + this.wireMock.port() + "/api/paas/v4";
	}

	private void stub(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(response));
	}

	private void stubJson(String body) {
		stub(aResponse().withHeader("Content-Type", "application/json").withBody(body));
	}

	private void stubStream(String body) {
		stub(aResponse().withHeader("Content-Type", "text/event-stream").withBody(body));
	}

	private LoggedRequest onlyRequest() {
		List<LoggedRequest> requests = this.wireMock.findAll(postRequestedFor(urlEqualTo(PATH)));
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

	private static String bearer(LoggedRequest request) {
		String authorization = request.getHeader("Authorization");
		assertThat(authorization).startsWith("Bearer ");
		return authorization.substring("Bearer ".length());
	}

	private static String answer(String text, String finishReason) {
		return """
				{"created":1703487403,"id":"8239375684858666781","model":"glm-4-flash",
				 "request_id":"8239375684858666781",
				 "choices":[{"finish_reason":"%s","index":0,"message":{"content":"%s","role":"assistant"}}],
				 "usage":{"completion_tokens":2,"prompt_tokens":31,"total_tokens":33}}""".formatted(finishReason, text);
	}

	private static String chunk(String content, String finishReason) {
		String finish = (finishReason != null) ? "\"finish_reason\":\"" + finishReason + "\"," : "";
		String usage = (finishReason != null)
				? ",\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":100,\"total_tokens\":160}" : "";
		return "data: {\"id\":\"8313807536837492492\",\"created\":1706092316,\"model\":\"glm-4-flash\","
				+ "\"choices\":[{\"index\":0," + finish + "\"delta\":{\"role\":\"assistant\",\"content\":\"" + content
				+ "\"}}]" + usage + "}\n\n";
	}

	private static String decode(String segment) {
		return new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
	}

	private static boolean verifies(String token, String secret) throws Exception {
		int lastDot = token.lastIndexOf('.');
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		byte[] expected = mac.doFinal(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(expected).equals(token.substring(lastDot + 1));
	}

	private static ChatException callError(CompatChatModel model) {
		return callError(model, REQUEST);
	}

	private static ChatException callError(CompatChatModel model, ModelRequest request) {
		CompletableFuture<ModelResponse> future = model.call(request);
		assertThat(future).failsWithin(Duration.ofSeconds(10));
		return (ChatException) future.handle((response, failure) -> failure).join();
	}

	private static ChatException awaitError(RecordingStreamListener listener) {
		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(ChatException.class);
		return (ChatException) listener.terminal.join();
	}

}
