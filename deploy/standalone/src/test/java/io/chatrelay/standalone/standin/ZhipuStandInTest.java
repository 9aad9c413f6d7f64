package io.chatrelay.standalone.standin;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.chatrelay.standalone.standin.StandInHttp.events;
import static io.chatrelay.standalone.standin.StandInHttp.fields;
import static io.chatrelay.standalone.standin.StandInHttp.json;
import static io.chatrelay.standalone.standin.StandInHttp.post;
import static io.chatrelay.standalone.standin.StandInHttp.vector;
import static io.chatrelay.standalone.standin.StandInHttp.vectorEvent;
import static org.assertj.core.api.Assertions.assertThat;

class ZhipuStandInTest {

	private static final String CONVERSATION = """
			{"model":"glm-4-plus","messages":[
			 {"role":"system","content":"You are helpful."},
			 {"role":"user","content":"你好"},
			 {"role":"assistant","content":"You said: 你好 (turn 1)"},
			 {"role":"user","content":"what is GLM?"}]%s}
			""";

	private static final String REPLY = "You said: what is GLM? (turn 2)";

	private final JsonNode vector = vector("llm-zhipu.json");

	private VendorStandIn standIn;

	@BeforeEach
	void start() throws Exception {
		this.standIn = VendorStandIn.start();
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	@Test
	void answersUnaryCallInZhipuShapeWithRequestIdAndNoObject() {
		HttpResponse<String> response = call(CONVERSATION.formatted(""), "Bearer 12345678.abcdefg");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = json(response.body());
		JsonNode expected = this.vector.path("non_stream").path("response_body");
		assertThat(fields(body)).isEqualTo(fields(expected)).doesNotContain("object");
		JsonNode choice = body.path("choices").path(0);
		assertThat(fields(choice)).isEqualTo(fields(expected.path("choices").path(0)));
		assertThat(fields(choice.path("message"))).isEqualTo(fields(expected.path("choices").path(0).path("message")));
		assertThat(fields(body.path("usage"))).isEqualTo(fields(expected.path("usage")));
		assertThat(choice.path("message").path("content").asText()).isEqualTo(REPLY);
		assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
		assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
		assertThat(body.path("model").asText()).isEqualTo("glm-4-plus");
		assertThat(body.path("id").asText()).matches("\\d{19}");
		assertThat(body.path("request_id").asText()).isEqualTo(body.path("id").asText());
		assertThat(this.standIn.requestCount(VendorStandIn.ZHIPU)).isEqualTo(1);
		assertThat(this.standIn.requestCount(VendorStandIn.OPENAI)).isZero();
	}

	@Test
	void echoesTheCallersRequestId() {
		HttpResponse<String> response = call(CONVERSATION.formatted(",\"request_id\":\"req-42\""), "Bearer k");

		assertThat(json(response.body()).path("request_id").asText()).isEqualTo("req-42");
	}

	@Test
	void streamsDeltasRepeatingRoleThenFinishWithUsageWithoutStreamOptionsThenDone() {
		HttpResponse<String> response = call(CONVERSATION.formatted(",\"stream\":true"), "Bearer k");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
		List<String> events = events(response.body());
		assertThat(events).last().isEqualTo("[DONE]");
		List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(StandInHttp::json).toList();
		List<String> vectorChunks = vectorChunks();
		JsonNode expectedDelta = vectorEvent(vectorChunks.get(0));
		JsonNode expectedLast = vectorEvent(vectorChunks.get(vectorChunks.size() - 1));

		List<JsonNode> deltas = chunks.subList(0, chunks.size() - 1);
		assertThat(deltas).hasSize(EchoReply.tokenize(REPLY).size()).allSatisfy((chunk) -> {
			assertThat(fields(chunk)).isEqualTo(fields(expectedDelta));
			assertThat(fields(chunk.path("choices").path(0))).isEqualTo(fields(expectedDelta.path("choices").path(0)));
			assertThat(chunk.path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
			assertThat(chunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
		});
		assertThat(deltas.stream()
			.map((chunk) -> chunk.path("choices").path(0).path("delta").path("content").asText())
			.collect(Collectors.joining())).isEqualTo(REPLY);

		JsonNode last = chunks.get(chunks.size() - 1);
		assertThat(fields(last)).isEqualTo(fields(expectedLast));
		assertThat(fields(last.path("choices").path(0))).isEqualTo(fields(expectedLast.path("choices").path(0)));
		assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
		assertThat(last.path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
		assertThat(fields(last.path("usage"))).isEqualTo(fields(expectedLast.path("usage")));
		assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(deltas.size());
	}

	@Test
	void acceptsAPlainKeyAndASignedJwtWithMillisecondTimestamps() throws Exception {
		long now = System.currentTimeMillis();
		String jwt = jwt("standin-id", "standin-secret-0123456789", now + 210_000, now);

		assertThat(call(CONVERSATION.formatted(""), "Bearer standin-id.standin-secret").statusCode()).isEqualTo(200);
		assertThat(call(CONVERSATION.formatted(""), "Bearer " + jwt).statusCode()).isEqualTo(200);
		assertThat(call(CONVERSATION.formatted(""), jwt).statusCode()).as("bare token").isEqualTo(200);
	}

	@Test
	void rejectsAJwtWhoseExpiryIsPastOrInSecondsWithCode1003() throws Exception {
		String vectorJwt = this.vector.path("auth").path("mode_2_jwt").path("vector").path("jwt").asText();
		long nowSeconds = System.currentTimeMillis() / 1000;
		String secondsJwt = jwt("standin-id", "secret", nowSeconds + 210, nowSeconds);

		for (String token : List.of(vectorJwt, secondsJwt)) {
			HttpResponse<String> response = call(CONVERSATION.formatted(""), "Bearer " + token);

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(json(response.body()).path("error").path("code").asText()).isEqualTo("1003");
		}
	}

	@Test
	void rejectsMissingOrMalformedCredentialsInZhipuErrorShape() {
		HttpResponse<String> missing = call(CONVERSATION.formatted(""), null);
		HttpResponse<String> malformed = call(CONVERSATION.formatted(""), "Bearer not.a.jwt");

		assertThat(missing.statusCode()).isEqualTo(401);
		JsonNode error = json(missing.body()).path("error");
		assertThat(fields(error))
			.isEqualTo(fields(this.vector.path("errors").path("body_example").path("body").path("error")));
		assertThat(error.path("code").asText()).isEqualTo("1001");
		assertThat(malformed.statusCode()).isEqualTo(401);
		assertThat(json(malformed.body()).path("error").path("code").asText()).isEqualTo("1002");
	}

	@Test
	void rejectsBadRequestsWithNumericStringCodes() {
		HttpResponse<String> response = call("{\"model\":\"glm-4\",\"messages\":[]}", "Bearer k");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(json(response.body()).path("error").path("code").asText()).matches("\\d+");
	}

	/** The vector's JSON chunks ({@code ....} and {@code [DONE]} left out). */
	private List<String> vectorChunks() {
		List<String> lines = new ArrayList<>();
		this.vector.path("stream").path("sse_lines").forEach((line) -> {
			if (line.asText().startsWith("data: {")) {
				lines.add(line.asText());
			}
		});
		assertThat(this.vector.path("stream").path("sse_lines").path(lines.size() + 1).asText())
			.isEqualTo("data: [DONE]");
		return lines;
	}

	private HttpResponse<String> call(String body, String authorization) {
		String url = this.standIn.zhipuBaseUrl() + "/chat/completions";
		return (authorization != null) ? post(url, body, "Authorization", authorization) : post(url, body);
	}

	/**
	 * A Zhipu SDK-style JWT: header {alg, sign_type}, payload {api_key, exp, timestamp}.
	 */
	static String jwt(String id, String secret, long exp, long timestamp) throws Exception {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64
			.encodeToString("{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}".getBytes(StandardCharsets.UTF_8));
		String payload = base64
			.encodeToString(("{\"api_key\":\"" + id + "\",\"exp\":" + exp + ",\"timestamp\":" + timestamp + "}")
				.getBytes(StandardCharsets.UTF_8));
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String signature = base64
			.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
		return header + "." + payload + "." + signature;
	}

}
