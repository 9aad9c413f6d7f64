package io.chatrelay.provider.model.zhipu;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ChatModelContractTest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * The Zhipu adapter against the shared vendor contract, on Zhipu's wire format (no
 * {@code object}, {@code request_id}, role repeated in every delta, usage in the
 * finishing chunk, numeric-string error codes), signing JWTs.
 */
class ZhipuContractTest extends ChatModelContractTest {

	private static final String PATH = "/api/paas/v4/chat/completions";

	private static final String HEAD = "data: {\"id\":\"8313807536837492492\",\"created\":1706092316,"
			+ "\"model\":\"glm-4-flash\",";

	@Override
	protected ChatModel model() {
		return ZhipuConfiguration.chatModel(
				new ZhipuProperties(this.wireMock.baseUrl() + "/api/paas/v4", "contract01.contractSecret", null,
						Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(2500), null, null),
				HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Clock.systemUTC());
	}

	@Override
	protected void stubAnswer(String text) {
		stub(aResponse().withHeader("Content-Type", "application/json").withBody(answer(text, "stop")));
	}

	@Override
	protected void stubStream(List<String> deltas, Duration delayPerChunk) {
		StringBuilder body = new StringBuilder();
		for (String delta : deltas) {
			body.append(chunk(delta, null)).append('\n');
		}
		body.append(chunk("", "stop")).append('\n').append("data: [DONE]\n\n");
		ResponseDefinitionBuilder response = aResponse().withHeader("Content-Type", "text/event-stream")
			.withBody(body.toString());
		if (!delayPerChunk.isZero()) {
			response.withChunkedDribbleDelay(deltas.size() + 2, (int) delayPerChunk.toMillis() * (deltas.size() + 2));
		}
		stub(response);
	}

	@Override
	protected Stream<ErrorCase> errorCases() {
		return Stream.of(
				new ErrorCase("401 1002 invalid token", () -> stub(error(401, "1002")), ChatErrorCode.UNAUTHORIZED),
				new ErrorCase("429 1113 arrears", () -> stub(error(429, "1113")), ChatErrorCode.UNAUTHORIZED),
				new ErrorCase("429 1302 concurrency", () -> stub(error(429, "1302").withHeader("Retry-After", "1")),
						ChatErrorCode.RATE_LIMITED),
				new ErrorCase("429 1303 frequency", () -> stub(error(429, "1303")), ChatErrorCode.RATE_LIMITED),
				new ErrorCase("429 1304 daily limit", () -> stub(error(429, "1304")), ChatErrorCode.RATE_LIMITED),
				new ErrorCase("429 1305 overloaded", () -> stub(error(429, "1305")), ChatErrorCode.RATE_LIMITED),
				new ErrorCase("400 1301 sensitive input", () -> stub(error(400, "1301")),
						ChatErrorCode.CONTENT_FILTERED),
				new ErrorCase("400 1211 model not found", () -> stub(error(400, "1211")), ChatErrorCode.BAD_REQUEST),
				new ErrorCase("400 1261 prompt too long", () -> stub(error(400, "1261")), ChatErrorCode.BAD_REQUEST),
				new ErrorCase("400 without code", () -> stub(error(400, null)), ChatErrorCode.BAD_REQUEST),
				new ErrorCase("408", () -> stub(error(408, null)), ChatErrorCode.TIMEOUT),
				new ErrorCase("409 without code", () -> stub(error(409, null)), ChatErrorCode.RATE_LIMITED),
				new ErrorCase("429 without code", () -> stub(error(429, null)), ChatErrorCode.RATE_LIMITED),
				new ErrorCase("500 internal error", () -> stub(error(500, "500")), ChatErrorCode.UNAVAILABLE),
				new ErrorCase("503 server flow exceeded", () -> stub(error(503, null)), ChatErrorCode.UNAVAILABLE),
				new ErrorCase("finish_reason sensitive",
						() -> stubBoth(answer("", "sensitive"), chunk("", "sensitive")),
						ChatErrorCode.CONTENT_FILTERED),
				new ErrorCase("finish_reason network_error",
						() -> stubBoth(answer("partial", "network_error"), chunk("partial", "network_error")),
						ChatErrorCode.UNAVAILABLE),
				new ErrorCase("error object 1302 in a 200 body or stream event",
						() -> stubBoth("{\"error\":{\"code\":\"1302\",\"message\":\"并发数过高\"}}",
								"data: {\"error\":{\"code\":\"1302\",\"message\":\"并发数过高\"}}\n"),
						ChatErrorCode.RATE_LIMITED),
				new ErrorCase("no answer within the first-token timeout",
						() -> stub(aResponse().withFixedDelay(3000).withBody("{}")), ChatErrorCode.TIMEOUT));
	}

	private void stub(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(response));
	}

	/**
	 * A 200 JSON answer for calls and a 200 event stream (the given events, then
	 * {@code [DONE]}) for streams.
	 */
	private void stubBoth(String json, String events) {
		stub(aResponse().withHeader("Content-Type", "application/json").withBody(json));
		this.wireMock.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withHeader("Accept", equalTo("text/event-stream"))
			.willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
				.withBody(chunk("Hel", null) + "\n" + events + "\ndata: [DONE]\n\n")));
	}

	private static String answer(String text, String finishReason) {
		return """
				{"created":1703487403,"id":"8239375684858666781","model":"glm-4-flash",
				 "request_id":"8239375684858666781",
				 "choices":[{"finish_reason":"%s","index":0,"message":{"content":"%s","role":"assistant"}}],
				 "usage":{"completion_tokens":217,"prompt_tokens":31,"total_tokens":248}}""".formatted(finishReason,
				text);
	}

	/** One event in Zhipu's format; a finishing chunk carries the usage. */
	private static String chunk(String delta, String finishReason) {
		if (finishReason == null) {
			return HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + delta
					+ "\"}}]}\n";
		}
		return HEAD + "\"choices\":[{\"index\":0,\"finish_reason\":\"" + finishReason
				+ "\",\"delta\":{\"role\":\"assistant\",\"content\":\"" + delta + "\"}}],"
				+ "\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":100,\"total_tokens\":160}}\n";
	}

	private static ResponseDefinitionBuilder error(int status, String code) {
		String body = (code != null) ? "{\"error\":{\"code\":\"" + code + "\",\"message\":\"failure " + code + "\"}}"
				: "<html><body>" + status + "</body></html>";
		return aResponse().withStatus(status)
			.withHeader("Content-Type", (code != null) ? "application/json" : "text/html")
			.withBody(body);
	}

}
