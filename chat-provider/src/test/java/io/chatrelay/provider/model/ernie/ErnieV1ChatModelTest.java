package io.chatrelay.provider.model.ernie;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.RecordingStreamListener;
import io.chatrelay.provider.model.RecordingStreamListener.Completion;
import io.chatrelay.provider.model.ernie.ErnieProperties.ApiVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.chatrelay.provider.model.ernie.ErnieStubs.json;
import static io.chatrelay.provider.model.ernie.ErnieStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ERNIE v1 request shapes and wire behaviour beyond the shared contract.
 */
class ErnieV1ChatModelTest {

	private static final JsonNode VECTOR = ErnieStubs.VECTOR;

	private static final String SECRET_KEY = "v1-secret-key-0123456789";

	private final HttpClient httpClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private WireMockServer wireMock;

	@BeforeEach
	void startWireMock() {
		this.wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		this.wireMock.start();
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH))
			.willReturn(json(VECTOR.at("/v1/token/response_body").toString())));
	}

	@AfterEach
	void stopWireMock() {
		this.wireMock.stop();
	}

	@Test
	void sendsSystemFieldAccessTokenInQueryAndOddNormalisedMessages() {
		stubChat(json(VECTOR.at("/v1/non_stream/response_body").toString()));
		ModelRequest request = new ModelRequest(List.of(ChatMessage.system("你是一个乐于助人的助手"),
				ChatMessage.assistant("stale answer"), ChatMessage.user("q1"), ChatMessage.user("q1 again"),
				ChatMessage.assistant("a1"), ChatMessage.user("介绍一下你自己")), null, 0.95, 512, "u1");

		model().call(request).join();

		this.wireMock.verify(postRequestedFor(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH))
			.withQueryParam("access_token", equalTo(ErnieStubs.ACCESS_TOKEN))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"messages": [{"role": "user", "content": "q1\\nq1 again"},
					              {"role": "assistant", "content": "a1"},
					              {"role": "user", "content": "介绍一下你自己"}],
					 "system": "你是一个乐于助人的助手", "stream": false, "temperature": 0.95,
					 "max_output_tokens": 512, "user_id": "u1"}
					""")));
	}

	@Test
	void sendsTheVectorRequestFieldsWeUse() {
		stubChat(json(VECTOR.at("/v1/non_stream/response_body").toString()));
		JsonNode vectorBody = VECTOR.at("/v1/non_stream/request/body");
		ModelRequest request = new ModelRequest(
				List.of(ChatMessage.system(vectorBody.get("system").asText()),
						ChatMessage.user(vectorBody.at("/messages/0/content").asText())),
				null, vectorBody.get("temperature").asDouble(), null, vectorBody.get("user_id").asText());

		model().call(request).join();

		this.wireMock.verify(postRequestedFor(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH)).withRequestBody(
				equalToJson(vectorBody.<ObjectNode>deepCopy().without(List.of("top_p", "penalty_score")).toString())));
	}

	@Test
	void answersWithTheVectorResponse() {
		stubChat(json(VECTOR.at("/v1/non_stream/response_body").toString()));

		ModelResponse response = model().call(request("介绍一下你自己")).join();

		assertThat(response).isEqualTo(new ModelResponse(VECTOR.at("/v1/non_stream/response_body/result").asText(),
				"ernie_speed", "stop", new TokenUsage(7, 67, 74)));
	}

	@Test
	void usesTheRequestedModelAsEndpointAndRejectsUnsafeNames() {
		this.wireMock.stubFor(post(urlPathEqualTo("/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions_pro"))
			.willReturn(json(ErnieStubs.v1Answer("pro"))));

		ModelResponse response = model()
			.call(new ModelRequest(List.of(ChatMessage.user("q")), "completions_pro", null, null, null))
			.join();
		ChatException error = callError(
				model().call(new ModelRequest(List.of(ChatMessage.user("q")), "../../oauth", null, null, null)));

		assertThat(response.model()).isEqualTo("completions_pro");
		assertThat(error.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
	}

	@Test
	void clampsTemperatureIntoErnieRange() {
		stubChat(json(ErnieStubs.v1Answer("ok")));

		model().call(new ModelRequest(List.of(ChatMessage.user("q")), null, 0.0, null, null)).join();
		model().call(new ModelRequest(List.of(ChatMessage.user("q")), null, 1.7, null, null)).join();

		this.wireMock.verify(postRequestedFor(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH))
			.withRequestBody(equalToJson("{\"temperature\": 0.01}", true, true)));
		this.wireMock.verify(postRequestedFor(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH))
			.withRequestBody(equalToJson("{\"temperature\": 1.0}", true, true)));
	}

	@Test
	void streamsTheVectorEventsAndCarriesTheUsageOfTheIsEndEvent() {
		stubChat(sse(String.join("\n\n",
				List.of(VECTOR.at("/v1/stream/sse_lines/0").asText(), VECTOR.at("/v1/stream/sse_lines/1").asText()))
				+ "\n\n"));
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(request("hi"), listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("ernie_speed", "stop", new TokenUsage(5, 420, 425)));
		assertThat(listener.deltas).containsExactly("当然可以，");
		this.wireMock.verify(postRequestedFor(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH))
			.withRequestBody(equalToJson("{\"stream\": true}", true, true)));
	}

	@Test
	void endsAtIsEndEvenIfTheConnectionStaysOpen() {
		String keepAlive = ": " + "k".repeat(5000) + "\n\n";
		stubChat(sse(ErnieStubs.v1Stream(List.of("a", "b")) + keepAlive).withChunkedDribbleDelay(10, 15000));
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(request("hi"), listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(7)).isInstanceOf(Completion.class);
		assertThat(listener.deltas).containsExactly("a", "b");
	}

	@Test
	void failsAStreamThatEndsWithoutIsEnd() {
		stubChat(sse(ErnieStubs.v1Event("Hel", 0) + ErnieStubs.v1Event("lo", 1)));
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(request("hi"), listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.getMessage()).isEqualTo("ERNIE v1 stream ended early");
		assertThat(listener.deltas).containsExactly("Hel", "lo");
	}

	@Test
	void mapsAPlainJsonErrorAnsweringAStreamRequest() {
		stubChat(json(VECTOR.at("/v1/errors/mock_rule_errors/v1").toString()));
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(request("hi"), listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
		assertThat(error.getMessage()).isEqualTo("ERNIE v1 error 336003: messages length must be odd");
		assertThat(listener.deltas).isEmpty();
	}

	@Test
	void endsTheStreamWithTheMappedErrorOfAnErrorEvent() {
		stubChat(sse(ErnieStubs.v1Event("Hel", 0) + "data: " + ErnieStubs.v1Error(336100, "server high load") + "\n\n"
				+ ErnieStubs.v1LastEvent()));
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(request("hi"), listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(listener.deltas).containsExactly("Hel");
		assertThat(listener.terminalCalls).hasValue(1);
	}

	@Test
	void reportsContentFilterWhenErnieAsksToClearTheHistory() {
		stubChat(json(
				ErnieStubs.v1Answer("换个话题吧").replace("\"need_clear_history\":false", "\"need_clear_history\":true")));

		ModelResponse response = model().call(request("hi")).join();

		assertThat(response.text()).isEqualTo("换个话题吧");
		assertThat(response.finishReason()).isEqualTo("content_filter");
	}

	@Test
	void failsAStreamWhoseLaterEventMayNotBeDisplayed() {
		stubChat(sse(ErnieStubs.v1Event("Hel", 0) + ErnieStubs.flagged(ErnieStubs.v1Event("lo", 1), 4)
				+ ErnieStubs.v1LastEvent()));
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(request("hi"), listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(listener.deltas).containsExactly("Hel");
	}

	@Test
	void reportsTruncatedAnswersAsLength() {
		stubChat(json(ErnieStubs.v1Answer("cut").replace("\"is_truncated\":false", "\"is_truncated\":true")));

		assertThat(model().call(request("hi")).join().finishReason()).isEqualTo("length");
	}

	@Test
	void failsWithoutSendingAnythingWhenTheKeyPairIsMissing() {
		ErnieChatModel model = new ErnieChatModel(ErnieProperties.v1(this.wireMock.baseUrl(), "access-key-only", "  "),
				this.httpClient);
		RecordingStreamListener listener = new RecordingStreamListener();

		ChatException callError = callError(model.call(request("hi")));
		model.stream(request("hi"), listener);

		assertThat(callError.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(callError.getMessage()).isEqualTo("ERNIE v1 access key/secret key pair is not configured");
		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void rejectsAConversationWithoutUserTextWithoutSendingAnything() {
		ChatException error = callError(model().call(new ModelRequest(
				List.of(ChatMessage.system("s"), ChatMessage.assistant("a")), null, null, null, null)));

		assertThat(error.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void neverShowsTheAccessTokenOrTheSecretInErrors() {
		stubChat(json(ErnieStubs.v1Error(100,
				"bad url ?access_token=" + ErnieStubs.ACCESS_TOKEN + "&client_secret=" + SECRET_KEY)));

		ChatException error = callError(model().call(request("hi")));

		assertThat(error.getMessage()).doesNotContain(ErnieStubs.ACCESS_TOKEN)
			.doesNotContain(SECRET_KEY)
			.contains("access_token=****");
	}

	@Test
	void timesOutWhenTheTokenEndpointHangs() {
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH))
			.willReturn(json(ErnieStubs.tokenBody("24.late")).withFixedDelay(2000)));
		ErnieChatModel model = new ErnieChatModel(new ErnieProperties(ApiVersion.V1, this.wireMock.baseUrl(), null,
				null, this.wireMock.baseUrl(), "ak", SECRET_KEY, null, Duration.ofMillis(300), Duration.ofSeconds(10)),
				this.httpClient);
		RecordingStreamListener listener = new RecordingStreamListener();

		ChatException callError = callError(model.call(request("hi")));
		model.stream(request("hi"), listener);

		assertThat(callError.code()).isEqualTo(ChatErrorCode.TIMEOUT);
		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.TIMEOUT);
	}

	private void stubChat(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH)).willReturn(response));
	}

	private ErnieChatModel model() {
		return new ErnieChatModel(ErnieProperties.v1(this.wireMock.baseUrl(), "ak-test", SECRET_KEY), this.httpClient);
	}

	private static ModelRequest request(String question) {
		return new ModelRequest(List.of(ChatMessage.user(question)), null, null, null, null);
	}

	private static ChatException callError(CompletableFuture<ModelResponse> future) {
		assertThat(future).failsWithin(Duration.ofSeconds(10));
		return (ChatException) future.handle((response, failure) -> failure).join();
	}

	private static ChatException awaitError(RecordingStreamListener listener) {
		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(ChatException.class);
		return (ChatException) listener.terminal.join();
	}

}
