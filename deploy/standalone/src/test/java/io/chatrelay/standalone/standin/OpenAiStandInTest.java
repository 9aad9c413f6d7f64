package io.chatrelay.standalone.standin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiStandInTest {

	private static final String CONVERSATION = """
			{"model":"gpt-4o-mini","messages":[
			 {"role":"system","content":"You are helpful."},
			 {"role":"user","content":"Hello!"},
			 {"role":"assistant","content":"You said: Hello! (turn 1)"},
			 {"role":"user","content":"how are you?"}]%s}
			""";

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void answersUnaryCallInOpenAiJsonShapeWithTheContextItSaw() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			HttpResponse<String> response = post(standIn, CONVERSATION.formatted(""), "Bearer sk-test");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
			JsonNode body = this.json.readTree(response.body());
			assertThat(body.path("id").asText()).startsWith("chatcmpl-");
			assertThat(body.path("object").asText()).isEqualTo("chat.completion");
			assertThat(body.path("created").asLong()).isPositive();
			assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
			JsonNode choice = body.path("choices").path(0);
			assertThat(choice.path("index").asInt()).isZero();
			assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
			assertThat(choice.path("message").path("content").asText()).isEqualTo("You said: how are you? (turn 2)");
			assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
			JsonNode usage = body.path("usage");
			assertThat(usage.path("completion_tokens").asInt()).isEqualTo(7);
			assertThat(usage.path("prompt_tokens").asInt()).isPositive();
			assertThat(usage.path("total_tokens").asInt())
				.isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
			assertThat(standIn.requestCount()).isEqualTo(1);
		}
	}

	@Test
	void streamsRoleDeltaThenTokensThenStopThenUsageThenDone() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			HttpResponse<String> response = post(standIn,
					CONVERSATION.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"),
					"Bearer sk-test");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
			assertThat(response.body()).endsWith("data: [DONE]\n\n");
			List<String> events = events(response.body());
			assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
			List<JsonNode> chunks = new ArrayList<>();
			for (String event : events.subList(0, events.size() - 1)) {
				chunks.add(this.json.readTree(event));
			}
			assertThat(chunks).allSatisfy((chunk) -> {
				assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
				assertThat(chunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
			});

			JsonNode first = chunks.get(0).path("choices").path(0).path("delta");
			assertThat(first.path("role").asText()).isEqualTo("assistant");
			assertThat(first.path("content").asText()).isEmpty();
			List<JsonNode> tokens = chunks.subList(1, chunks.size() - 2);
			assertThat(tokens).hasSize(7).allSatisfy((chunk) -> {
				assertThat(chunk.path("choices").path(0).path("finish_reason").isNull()).isTrue();
				assertThat(chunk.path("usage").isNull()).isTrue();
			});
			assertThat(tokens.stream()
				.map((chunk) -> chunk.path("choices").path(0).path("delta").path("content").asText())
				.collect(Collectors.joining())).isEqualTo("You said: how are you? (turn 2)");
			assertThat(tokens.get(0).path("choices").path(0).path("delta").path("content").asText()).isEqualTo("You ");

			JsonNode stop = chunks.get(chunks.size() - 2);
			assertThat(stop.path("choices").path(0).path("delta").isEmpty()).isTrue();
			assertThat(stop.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
			assertThat(stop.path("usage").isNull()).isTrue();

			JsonNode usage = chunks.get(chunks.size() - 1);
			assertThat(usage.path("choices").isArray()).isTrue();
			assertThat(usage.path("choices").isEmpty()).isTrue();
			assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
		}
	}

	@Test
	void streamWithoutIncludeUsageEndsWithStopChunkThenDone() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			HttpResponse<String> response = post(standIn, CONVERSATION.formatted(",\"stream\":true"), "Bearer k");

			List<String> events = events(response.body());
			assertThat(events).last().isEqualTo("[DONE]");
			JsonNode last = this.json.readTree(events.get(events.size() - 2));
			assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
			for (String event : events.subList(0, events.size() - 1)) {
				assertThat(this.json.readTree(event).has("usage")).isFalse();
			}
		}
	}

	@Test
	void pacesStreamedTokensByTheTokenDelay() throws Exception {
		Duration delay = Duration.ofMillis(60);
		try (VendorStandIn standIn = VendorStandIn.builder().tokenDelay(delay).start()) {
			long started = System.nanoTime();
			HttpResponse<String> response = post(standIn, oneMessage("hi", true), "Bearer k");
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

			int tokens = EchoReply.tokenize("You said: hi (turn 1)").size();
			assertThat(events(response.body())).hasSize(tokens + 3);
			assertThat(elapsed).isGreaterThanOrEqualTo(delay.multipliedBy(tokens))
				.isLessThan(delay.multipliedBy(tokens).plusSeconds(2));
		}
	}

	@Test
	void waitsTheFirstByteLatencyBeforeAnswering() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.builder().firstByteLatency(Duration.ofMillis(300)).start()) {
			long started = System.nanoTime();
			HttpResponse<String> response = post(standIn, oneMessage("hi", false), "Bearer k");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		}
	}

	@Test
	void servesManySlowStreamsConcurrently() throws Exception {
		Duration delay = Duration.ofMillis(100);
		int streams = 64;
		try (VendorStandIn standIn = VendorStandIn.builder().tokenDelay(delay).start()) {
			long started = System.nanoTime();
			List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, streams)
				.mapToObj((i) -> this.http.sendAsync(request(standIn, oneMessage("m" + i, true), "Bearer k"),
						HttpResponse.BodyHandlers.ofString()))
				.toList();
			CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

			assertThat(calls).allSatisfy((call) -> assertThat(call.join().body()).endsWith("data: [DONE]\n\n"));
			assertThat(calls.get(7).join().body()).contains("\"content\":\"m7 \"");
			assertThat(elapsed).as("one stream takes ~500 ms; %d in sequence would take %d s", streams, streams / 2)
				.isLessThan(Duration.ofSeconds(5));
			assertThat(standIn.requestCount()).isEqualTo(streams);
		}
	}

	@Test
	void rejectsCallsWithoutABearerKeyWithOpenAiError() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			for (String authorization : new String[] { null, "Bearer ", "Basic abc" }) {
				HttpResponse<String> response = post(standIn, oneMessage("hi", false), authorization);

				assertThat(response.statusCode()).isEqualTo(401);
				JsonNode error = this.json.readTree(response.body()).path("error");
				assertThat(error.path("message").asText()).contains("You didn't provide an API key");
				assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
				assertThat(error.has("param")).isTrue();
				assertThat(error.has("code")).isTrue();
			}
		}
	}

	@Test
	void rejectsMalformedRequestsWithOpenAiError() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			for (String body : new String[] { "{\"model\":\"m\"}", "not json", "{\"messages\":[]}" }) {
				HttpResponse<String> response = post(standIn, body, "Bearer k");

				assertThat(response.statusCode()).as(body).isEqualTo(400);
				assertThat(this.json.readTree(response.body()).path("error").path("type").asText())
					.isEqualTo("invalid_request_error");
			}
		}
	}

	@Test
	void readsTextPartsOfStructuredContent() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"parts work\"}]}]}";
			HttpResponse<String> response = post(standIn, body, "Bearer k");

			assertThat(this.json.readTree(response.body())
				.path("choices")
				.path(0)
				.path("message")
				.path("content")
				.asText()).isEqualTo("You said: parts work (turn 1)");
		}
	}

	private HttpResponse<String> post(VendorStandIn standIn, String body, String authorization) throws Exception {
		return this.http.send(request(standIn, body, authorization), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(VendorStandIn standIn, String body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + "/chat/completions"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request.build();
	}

	private static String oneMessage(String message, boolean stream) {
		return "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
				+ message + "\"}]}";
	}

	/** The payloads of a data-only SSE body, checking the framing on the way. */
	private static List<String> events(String sse) {
		List<String> events = new ArrayList<>();
		for (String event : sse.split("\n\n")) {
			assertThat(event).startsWith("data: ").doesNotContain("\n");
			events.add(event.substring("data: ".length()));
		}
		return events;
	}

	@Test
	void turnsNagleOffSoResponsesAreNotHeldForTheCallersDelayedAck() throws Exception {
		try (VendorStandIn standIn = VendorStandIn.start()) {
			assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
		}
	}

}
