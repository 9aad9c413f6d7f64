package io.chatrelay.provider.model.ernie;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.chatrelay.provider.model.ernie.ErnieStubs.json;
import static io.chatrelay.provider.model.ernie.ErnieStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ERNIE v2 request shapes and wire behaviour beyond the shared contract.
 */
class ErnieV2ChatModelTest {

	private static final JsonNode VECTOR = ErnieStubs.VECTOR;

	private static final String API_KEY = "bce-v3/ALTAK-test/0123456789abcdef";

	private static final String PATH = ErnieStubs.V2_CHAT_PATH;

	private final HttpClient httpClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

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
	void sendsBearerKeyDefaultModelLeadingSystemMessageAndOptions() {
		stub(json(VECTOR.at("/v2/response_body/body").toString()));
		ModelRequest request = new ModelRequest(
				List.of(ChatMessage.system("你是一个乐于助人的助手"), ChatMessage.user("你好"), ChatMessage.user("在吗")), null, 0.3,
				256, "tenant-1:u-1");

		model(Duration.ofSeconds(5)).call(request).join();

		this.wireMock
			.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + API_KEY))
				.withHeader("Content-Type", equalTo("application/json"))
				.withRequestBody(equalToJson("""
						{"model": "ernie-speed-128k",
						 "messages": [{"role": "system", "content": "你是一个乐于助人的助手"},
						              {"role": "user", "content": "你好\\n在吗"}],
						 "stream": false, "temperature": 0.3, "max_tokens": 256, "user": "tenant-1:u-1"}
						""")));
	}

	@Test
	void sendsTheVectorRequestForTheVectorConversation() {
		stub(json(VECTOR.at("/v2/response_body/body").toString()));
		JsonNode vectorBody = VECTOR.at("/v2/request/body");
		ModelRequest request = new ModelRequest(
				List.of(ChatMessage.system(vectorBody.at("/messages/0/content").asText()),
						ChatMessage.user(vectorBody.at("/messages/1/content").asText())),
				vectorBody.get("model").asText(), null, null, null);

		model(Duration.ofSeconds(5)).call(request).join();

		this.wireMock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson(vectorBody.toString())));
	}

	@Test
	void answersWithTheVectorResponse() {
		stub(json(VECTOR.at("/v2/response_body/body").toString()));

		ModelResponse response = model(Duration.ofSeconds(5)).call(request()).join();

		assertThat(response).isEqualTo(new ModelResponse("你好！", "ernie-4.0-8k", "stop", new TokenUsage(2, 21, 23)));
	}

	@Test
	void streamsTheVectorChunksLenientlyUntilDone() {
		stub(sse(VECTOR.at("/v2/stream/sse_text").asText()));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(request(), listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("ernie-4.0-8k", "stop", new TokenUsage(2, 0, 2)));
		assertThat(listener.deltas).containsExactly("你好");
		this.wireMock.verify(postRequestedFor(urlEqualTo(PATH))
			.withHeader("Accept", equalTo("text/event-stream, application/json"))
			.withRequestBody(
					equalToJson("{\"stream\": true, \"stream_options\": {\"include_usage\": true}}", true, true)));
	}

	@Test
	void takesUsageFromAnOpenAiStyleTailChunkWithoutChoices() {
		String body = ErnieStubs.v2Chunk("Hel") + ErnieStubs.v2Chunk("lo")
				+ "data: {\"id\":\"as-1\",\"object\":\"chat.completion.chunk\",\"model\":\"ernie-speed-128k\","
				+ "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":null}\n\n"
				+ "data: {\"id\":\"as-1\",\"object\":\"chat.completion.chunk\",\"model\":\"ernie-speed-128k\","
				+ "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\n"
				+ "data: [DONE]\n\n";
		stub(sse(body));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(request(), listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("ernie-speed-128k", "length", new TokenUsage(3, 4, 7)));
		assertThat(listener.deltas).containsExactly("Hel", "lo");
	}

	@Test
	void completesOnTheFinishReasonWhenDoneNeverArrives() {
		String stream = ErnieStubs.v2Stream(List.of("a", "b"));
		stub(sse(stream.substring(0, stream.indexOf("data: [DONE]"))));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(request(), listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5)).isInstanceOf(Completion.class);
		assertThat(listener.deltas).containsExactly("a", "b");
	}

	@Test
	void treatsTheChunkIsEndFlagAsAFinishWhenDoneNeverArrives() {
		stub(sse(ErnieStubs.v2Chunk("你好").replace("\"is_end\":false", "\"is_end\":true")));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(request(), listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("ernie-4.0-8k", "stop", new TokenUsage(2, 0, 2)));
		assertThat(listener.deltas).containsExactly("你好");
	}

	@Test
	void failsAStreamThatEndsWithoutFinishReasonOrDone() {
		stub(sse(ErnieStubs.v2Chunk("Hel")));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(request(), listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.getMessage()).isEqualTo("ERNIE v2 stream ended early");
	}

	@Test
	void mapsTheVectorErrorWithCodeMessageAndRequestId() {
		JsonNode vector = VECTOR.at("/v2/error");
		stub(json(vector.get("body").toString()).withStatus(vector.get("http_status").asInt()));
		RecordingStreamListener listener = new RecordingStreamListener();

		ChatException callError = callError(model(Duration.ofSeconds(5)).call(request()));
		model(Duration.ofSeconds(5)).stream(request(), listener);

		assertThat(callError.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
		assertThat(callError.getMessage()).contains("HTTP 400")
			.contains("invalid_argument")
			.contains("the length of messages must be an odd number")
			.contains("as-qdb51n76w1");
		assertThat(awaitError(listener).getMessage()).isEqualTo(callError.getMessage());
	}

	@Test
	void keepsRetryAfterOfA429() {
		stub(json(ErnieStubs.v2Error("rpm_rate_limit_exceeded", "slow down")).withStatus(429)
			.withHeader("Retry-After", "2"));

		ChatException error = callError(model(Duration.ofSeconds(5)).call(request()));

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retryAfterMillis()).isEqualTo(2000);
	}

	@Test
	void timesOutAStreamWhoseFirstEventComesLaterThanTheFirstTokenTimeout() {
		ErnieChatModel model = warmedUp(model(Duration.ofMillis(1500)));
		// WireMock sends the headers with the first chunk, after one interval (400 ms);
		// the keep-alive padding pushes the first event to the 18th chunk (~7 s).
		String body = ": " + "x".repeat(6000) + "\n\n" + ErnieStubs.v2Stream(List.of("late"));
		stub(sse(body).withChunkedDribbleDelay(20, 8000));
		RecordingStreamListener listener = new RecordingStreamListener();

		model.stream(request(), listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.TIMEOUT);
		assertThat(error.getMessage()).contains("sent no stream event");
		assertThat(listener.deltas).isEmpty();
	}

	@Test
	void timesOutAStreamThatOutlivesTheTotalTimeout() {
		String body = IntStream.range(0, 40)
			.mapToObj((i) -> ErnieStubs.v2Chunk("w" + i + " "))
			.collect(Collectors.joining()) + "data: [DONE]\n\n";
		ErnieChatModel model = warmedUp(new ErnieChatModel(new ErnieProperties(ApiVersion.V2, baseUrl(), API_KEY, null,
				null, null, null, null, Duration.ofSeconds(4), Duration.ofMillis(2500)), this.httpClient));
		stub(sse(body).withChunkedDribbleDelay(40, 8000));
		RecordingStreamListener listener = new RecordingStreamListener();

		model.stream(request(), listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.TIMEOUT);
		assertThat(error.getMessage()).contains("did not finish");
		assertThat(listener.deltas).isNotEmpty().hasSizeLessThan(40);
	}

	@Test
	void failsWithoutSendingAnythingWhenTheApiKeyIsMissing() {
		ErnieChatModel model = new ErnieChatModel(ErnieProperties.v2(baseUrl(), " "), this.httpClient);
		RecordingStreamListener listener = new RecordingStreamListener();

		ChatException callError = callError(model.call(request()));
		model.stream(request(), listener);

		assertThat(callError.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(callError.getMessage()).isEqualTo("ERNIE v2 API key is not configured");
		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void rejectsAnUnknownRoleWithoutSendingAnything() {
		ChatException error = callError(model(Duration.ofSeconds(5))
			.call(new ModelRequest(List.of(new ChatMessage("tool", "{}")), null, null, null, null)));

		assertThat(error.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void mapsConnectionRefusedToUnavailable() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		ErnieChatModel model = new ErnieChatModel(ErnieProperties.v2("http://127.0.0.1:" + closedPort + "/v2", API_KEY),
				this.httpClient);

		assertThat(callError(model.call(request())).code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
	}

	@Test
	void cancellingTheCallFutureAbortsTheRequest() {
		stub(json(ErnieStubs.v2Answer("slow")).withFixedDelay(3000));

		CompletableFuture<ModelResponse> call = model(Duration.ofSeconds(5)).call(request());
		call.cancel(true);

		assertThat(call).isCancelled();
	}

	@Test
	void reportsVendorName() {
		assertThat(model(Duration.ofSeconds(1)).vendor()).isEqualTo("ernie").isEqualTo(ErnieChatModel.VENDOR);
	}

	private ErnieChatModel model(Duration firstTokenTimeout) {
		return new ErnieChatModel(new ErnieProperties(ApiVersion.V2, baseUrl(), API_KEY, null, null, null, null,
				Duration.ofSeconds(2), firstTokenTimeout, Duration.ofSeconds(10)), this.httpClient);
	}

	/**
	 * One quick call first, so class loading, the HTTP connection and the stand-in's
	 * first request do not eat into a timing test's budget on a busy machine.
	 */
	private ErnieChatModel warmedUp(ErnieChatModel model) {
		stub(json(ErnieStubs.v2Answer("warm")));
		model.call(request()).join();
		return model;
	}

	private String baseUrl() {
		return this.wireMock.baseUrl() + "/v2";
	}

	private void stub(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(response));
	}

	private static ModelRequest request() {
		return new ModelRequest(List.of(ChatMessage.user("你好")), null, null, null, null);
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
