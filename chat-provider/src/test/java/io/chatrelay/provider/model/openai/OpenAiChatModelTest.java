package io.chatrelay.provider.model.openai;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.RecordingStreamListener;
import io.chatrelay.provider.model.RecordingStreamListener.Completion;
import io.chatrelay.provider.model.TestVectors;
import io.chatrelay.provider.model.compat.CompatChatModel;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class OpenAiChatModelTest {

	private static final JsonNode VECTOR = TestVectors.openAi();

	private static final String API_KEY = "sk-test-0123456789abcdef";

	private static final String PATH = "/v1/chat/completions";

	private static final ModelRequest REQUEST = new ModelRequest(
			List.of(ChatMessage.system("You are a helpful assistant."), ChatMessage.user("Hello!")), null, 0.2, 100,
			"tenant-1:user-7");

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
	void answersWithVectorResponseAfterSendingBearerKeyModelAndMessages() {
		stub(aResponse().withHeader("Content-Type", "application/json")
			.withBody(VECTOR.at("/non_stream/response_body").toString()));

		ModelResponse response = model(Duration.ofSeconds(5)).call(REQUEST).join();

		assertThat(response).isEqualTo(
				new ModelResponse("Hello! How can I assist you today?", "gpt-5.4", "stop", new TokenUsage(19, 10, 29)));
		this.wireMock
			.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + API_KEY))
				.withHeader("Content-Type", equalTo("application/json"))
				.withRequestBody(equalToJson("""
						{"model": "gpt-4o-mini",
						 "messages": [{"role": "system", "content": "You are a helpful assistant."},
						              {"role": "user", "content": "Hello!"}],
						 "temperature": 0.2, "max_tokens": 100, "user": "tenant-1:user-7", "stream": false}
						""")));
	}

	@Test
	void sendsTheRequestedModelAndOmitsUnsetOptions() {
		stub(aResponse().withBody(VECTOR.at("/non_stream/response_body").toString()));

		model(Duration.ofSeconds(5))
			.call(new ModelRequest(
					List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"), ChatMessage.user("Bye")), "gpt-4.1",
					null, null, null))
			.join();

		this.wireMock.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("""
				{"model": "gpt-4.1", "stream": false,
				 "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
				              {"role": "user", "content": "Bye"}]}
				""")));
	}

	@Test
	void failsWithContentFilteredWhenAnswerIsFilteredAway() {
		stub(aResponse().withBody("""
				{"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":null},
				"finish_reason":"content_filter"}],"usage":null}"""));

		assertThatThrownBy(() -> model(Duration.ofSeconds(5)).call(REQUEST).join())
			.hasCauseInstanceOf(ChatException.class)
			.extracting((ex) -> ((ChatException) ex.getCause()).code())
			.isEqualTo(ChatErrorCode.CONTENT_FILTERED);
	}

	@Test
	void streamsVectorDeltasInOrderAndCompletesWithUsage() {
		stubStream(streamWithUsageTail());
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("gpt-4o-mini", "stop", new TokenUsage(19, 10, 29)));
		assertThat(listener.deltas).containsExactly("Hello");
		assertThat(listener.terminalCalls).hasValue(1);
		this.wireMock
			.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + API_KEY))
				.withHeader("Accept", equalTo("text/event-stream"))
				.withRequestBody(equalToJson("""
						{"model": "gpt-4o-mini", "stream": true, "stream_options": {"include_usage": true}}
						""", true, true)));
	}

	@Test
	void streamsManyDeltasInOrder() {
		String body = IntStream.range(0, 50)
			.mapToObj((i) -> chunk("\"" + i + ",\"", null))
			.collect(Collectors.joining()) + chunk(null, "length") + "data: [DONE]\n\n";
		stubStream(body);
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("gpt-4o-mini", "length", TokenUsage.UNKNOWN));
		assertThat(String.join("", listener.deltas))
			.isEqualTo(IntStream.range(0, 50).mapToObj((i) -> i + ",").collect(Collectors.joining()));
	}

	@Test
	void completesStreamOnFinishReasonWhenDoneNeverArrives() {
		String sseText = VECTOR.at("/stream/sse_text").asText();
		stubStream(sseText.substring(0, sseText.indexOf("data: [DONE]")));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("gpt-4o-mini", "stop", TokenUsage.UNKNOWN));
		assertThat(listener.deltas).containsExactly("Hello");
	}

	@Test
	void streamsARefusalAsText() {
		// A whole answer's refusal stands in for its content; a collected stream must say
		// the same.
		stubStream("data: {\"model\":\"gpt-4o-mini\",\"choices\":[{\"delta\":{\"content\":null,"
				+ "\"refusal\":\"I can't help with that.\"},\"finish_reason\":null}]}\n\n" + chunk(null, "stop")
				+ "data: [DONE]\n\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isEqualTo(new Completion("gpt-4o-mini", "stop", TokenUsage.UNKNOWN));
		assertThat(listener.deltas).containsExactly("I can't help with that.");
	}

	@Test
	void failsStreamThatEndsWithoutFinishReasonOrDone() {
		stubStream(chunk("\"Hel\"", null) + chunk("\"lo\"", null));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.getMessage()).contains("ended early");
		assertThat(listener.deltas).containsExactly("Hel", "lo");
	}

	@Test
	void endsStreamWithMappedErrorOnErrorEvent() {
		stubStream(chunk("\"Hello\"", null)
				+ """
						data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}

						"""
				+ chunk("\" never delivered\"", null) + "data: [DONE]\n\n");
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.getMessage()).contains("The server had an error");
		assertThat(listener.deltas).containsExactly("Hello");
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
			assertThat(listener.terminalCalls).hasValue(1);
			assertThat(listener.callsAfterTerminal).hasValue(0);
		});
	}

	@Test
	void mapsRateLimitWithRetryAfterOnCall() {
		stub(rateLimited());

		ChatException error = callError(model(Duration.ofSeconds(5)));

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retryAfterMillis()).isEqualTo(2000);
		assertThat(error.getMessage()).contains("HTTP 429").contains("req_42");
	}

	@Test
	void mapsRateLimitWithRetryAfterOnStream() {
		stub(rateLimited());
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retryAfterMillis()).isEqualTo(2000);
		assertThat(listener.deltas).isEmpty();
	}

	@Test
	void timesOutCallWhenTheWholeAnswerTakesLongerThanTotalTimeout() {
		stub(aResponse().withFixedDelay(1500).withBody(VECTOR.at("/non_stream/response_body").toString()));

		ChatException error = callError(OpenAiConfiguration
			.chatModel(properties(Duration.ofMillis(300), Duration.ofMillis(600)), this.httpClient));

		assertThat(error.code()).isEqualTo(ChatErrorCode.TIMEOUT);
	}

	@Test
	void waitsForAWholeAnswerLongerThanTheFirstTokenTimeout() {
		// A whole answer's headers only come once it is generated: the first-token
		// timeout
		// is for streams.
		stub(aResponse().withFixedDelay(800)
			.withHeader("Content-Type", "application/json")
			.withBody(VECTOR.at("/non_stream/response_body").toString()));

		ModelResponse response = model(Duration.ofMillis(300)).call(REQUEST).join();

		assertThat(response.text()).isNotBlank();
	}

	@Test
	void timesOutStreamWhenHeadersTakeLongerThanFirstTokenTimeout() {
		stub(aResponse().withFixedDelay(1500)
			.withHeader("Content-Type", "text/event-stream")
			.withBody(streamWithUsageTail()));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofMillis(300)).stream(REQUEST, listener);

		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.TIMEOUT);
		assertThat(listener.deltas).isEmpty();
	}

	@Test
	void timesOutStreamWhenFirstEventArrivesLaterThanFirstTokenTimeout() {
		String body = ": " + "x".repeat(1000) + "\n\n" + chunk("\"late\"", "stop") + "data: [DONE]\n\n";
		stubStream(body, aResponse().withChunkedDribbleDelay(2, 2000));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofMillis(400)).stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		// WireMock sends the headers with the first dribbled chunk, so either the header
		// timeout or the first-event timer fires first; both are the first-token timeout.
		assertThat(error.code()).isEqualTo(ChatErrorCode.TIMEOUT);
		assertThat(listener.deltas).isEmpty();
	}

	@Test
	void keepsStreamingPastFirstTokenTimeoutOnceEventsFlow() {
		stubStream(slowStream(), aResponse().withChunkedDribbleDelay(40, 2000));
		RecordingStreamListener listener = new RecordingStreamListener();

		model(Duration.ofMillis(500)).stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(10))
			.isEqualTo(new Completion("gpt-4o-mini", "stop", TokenUsage.UNKNOWN));
		assertThat(listener.deltas).hasSize(40).startsWith("w0 ", "w1 ").endsWith("w39 ");
	}

	@Test
	void endsStreamWithOneErrorWhenListenerThrowsOnDelta() {
		stubStream(slowStream());
		RecordingStreamListener recorder = new RecordingStreamListener();

		model(Duration.ofSeconds(5)).stream(REQUEST, new ModelStreamListener() {

			@Override
			public void onDelta(String text) {
				recorder.onDelta(text);
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void onComplete(String model, String finishReason, TokenUsage usage) {
				recorder.onComplete(model, finishReason, usage);
			}

			@Override
			public void onError(ChatException error) {
				recorder.onError(error);
			}

		});

		assertThat(awaitError(recorder).code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(recorder.deltas).containsExactly("w0 ");
		assertThat(recorder.terminalCalls).hasValue(1);
	}

	@Test
	void rejectsUnknownMessageRoleWithoutSending() {
		ModelRequest request = new ModelRequest(List.of(new ChatMessage("tool", "{}")), null, null, null, null);

		CompletableFuture<ModelResponse> future = model(Duration.ofSeconds(5)).call(request);

		assertThat(future).failsWithin(Duration.ofSeconds(1));
		assertThat(future.handle((response, failure) -> ((ChatException) failure).code()).join())
			.isEqualTo(ChatErrorCode.BAD_REQUEST);
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void timesOutStreamThatOutlivesTotalTimeout() {
		stubStream(slowStream(), aResponse().withChunkedDribbleDelay(40, 4000));
		RecordingStreamListener listener = new RecordingStreamListener();
		CompatChatModel model = OpenAiConfiguration
			.chatModel(properties(Duration.ofSeconds(3), Duration.ofMillis(1200)), this.httpClient);

		model.stream(REQUEST, listener);

		ChatException error = awaitError(listener);
		assertThat(error.code()).isEqualTo(ChatErrorCode.TIMEOUT);
		assertThat(error.getMessage()).contains("did not finish");
	}

	@Test
	void failsWithoutSendingAnythingWhenApiKeyIsBlank() {
		CompatChatModel model = OpenAiConfiguration
			.chatModel(new OpenAiProperties(baseUrl(), "  ", null, null, null, null), this.httpClient);
		RecordingStreamListener listener = new RecordingStreamListener();

		ChatException callError = callError(model);
		model.stream(REQUEST, listener);

		assertThat(callError.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(callError.getMessage()).isEqualTo("OpenAI API key is not configured");
		assertThat(awaitError(listener).code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		this.wireMock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void mapsConnectionRefusedToUnavailable() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		CompatChatModel model = OpenAiConfiguration
			.chatModel(new OpenAiProperties("http://127.0.0.1:" + closedPort + "/v1", API_KEY, null, null,
					Duration.ofSeconds(5), null), this.httpClient);

		assertThat(callError(model).code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
	}

	@Test
	void cancelStopsDeliveriesAndNeverCallsTheListenerAgain() throws Exception {
		stubStream(slowStream(), aResponse().withChunkedDribbleDelay(40, 2000));
		CountDownLatch firstDelta = new CountDownLatch(1);
		RecordingStreamListener recorder = new RecordingStreamListener();
		ModelStream stream = model(Duration.ofSeconds(5)).stream(REQUEST, new DelegatingListener(recorder, firstDelta));

		assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();
		stream.cancel();
		int deliveredAtCancel = recorder.deltas.size();
		stream.cancel();

		Thread.sleep(2500);
		assertThat(recorder.deltas).hasSize(deliveredAtCancel).hasSizeLessThan(40);
		assertThat(recorder.terminal).isNotDone();
	}

	private CompatChatModel model(Duration firstTokenTimeout) {
		return OpenAiConfiguration.chatModel(properties(firstTokenTimeout, Duration.ofSeconds(10)), this.httpClient);
	}

	private OpenAiProperties properties(Duration firstTokenTimeout, Duration totalTimeout) {
		return new OpenAiProperties(baseUrl(), API_KEY, null, Duration.ofSeconds(2), firstTokenTimeout, totalTimeout);
	}

	private String baseUrl() {
		return "http://127.0.0.1:" + this.wireMock.port() + "/v1";
	}

	private void stub(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(response));
	}

	private void stubStream(String body) {
		stubStream(body, aResponse());
	}

	private void stubStream(String body, ResponseDefinitionBuilder response) {
		stub(response.withHeader("Content-Type", "text/event-stream").withBody(body));
	}

	private static ResponseDefinitionBuilder rateLimited() {
		JsonNode example = VECTOR.at("/errors/examples_assembled/1");
		return aResponse().withStatus(429)
			.withHeader("Content-Type", "application/json")
			.withHeader("Retry-After", example.at("/headers/Retry-After").asText())
			.withHeader("x-request-id", "req_42")
			.withBody(example.get("body").toString());
	}

	/** The vector's stream up to its last content chunk, then the include_usage tail. */
	private static String streamWithUsageTail() {
		String sseText = VECTOR.at("/stream/sse_text").asText();
		String head = Arrays.stream(sseText.split("\n\n"))
			.filter((event) -> !event.contains("\"finish_reason\":\"stop\"") && !event.contains("[DONE]"))
			.map((event) -> event + "\n\n")
			.collect(Collectors.joining());
		return head + VECTOR.at("/stream_with_usage/sse_tail").asText();
	}

	private static String slowStream() {
		return IntStream.range(0, 40).mapToObj((i) -> chunk("\"w" + i + " \"", null)).collect(Collectors.joining())
				+ chunk(null, "stop") + "data: [DONE]\n\n";
	}

	private static String chunk(String contentJson, String finishReason) {
		String delta = (contentJson != null) ? "{\"content\":" + contentJson + "}" : "{}";
		String finish = (finishReason != null) ? "\"" + finishReason + "\"" : "null";
		return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
				+ "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
	}

	private static ChatException callError(CompatChatModel model) {
		CompletableFuture<ModelResponse> future = model.call(REQUEST);
		assertThat(future).failsWithin(Duration.ofSeconds(10));
		return (ChatException) future.handle((response, failure) -> failure).join();
	}

	private static ChatException awaitError(RecordingStreamListener listener) {
		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(ChatException.class);
		return (ChatException) listener.terminal.join();
	}

	private record DelegatingListener(RecordingStreamListener delegate,
			CountDownLatch firstDelta) implements ModelStreamListener {

		@Override
		public void onDelta(String text) {
			this.delegate.onDelta(text);
			this.firstDelta.countDown();
		}

		@Override
		public void onComplete(String model, String finishReason, TokenUsage usage) {
			this.delegate.onComplete(model, finishReason, usage);
		}

		@Override
		public void onError(ChatException error) {
			this.delegate.onError(error);
		}

	}

}
