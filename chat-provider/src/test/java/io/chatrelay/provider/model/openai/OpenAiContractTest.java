package io.chatrelay.provider.model.openai;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ChatModelContractTest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * The OpenAI adapter against the shared vendor contract, on OpenAI's wire format.
 */
class OpenAiContractTest extends ChatModelContractTest {

	private static final String PATH = "/v1/chat/completions";

	@Override
	protected ChatModel model() {
		return OpenAiConfiguration.chatModel(new OpenAiProperties(this.wireMock.baseUrl() + "/v1",
				"sk-contract-0123456789", null, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(2500)));
	}

	@Override
	protected void stubAnswer(String text) {
		stub(aResponse().withHeader("Content-Type", "application/json").withBody("""
				{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},
				 "logprobs":null,"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}""".formatted(text)));
	}

	@Override
	protected void stubStream(List<String> deltas, Duration delayPerChunk) {
		String head = "data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
				+ "\"model\":\"gpt-4o-mini\",";
		StringBuilder body = new StringBuilder(head).append(
				"\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],"
						+ "\"usage\":null}\n\n");
		for (String delta : deltas) {
			body.append(head)
				.append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
				.append(delta)
				.append("\"},\"finish_reason\":null}],\"usage\":null}\n\n");
		}
		body.append(head)
			.append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n")
			.append(head)
			.append("\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29}}\n\n")
			.append("data: [DONE]\n\n");
		ResponseDefinitionBuilder response = aResponse().withHeader("Content-Type", "text/event-stream")
			.withBody(body.toString());
		if (!delayPerChunk.isZero()) {
			response.withChunkedDribbleDelay(deltas.size() + 3, (int) delayPerChunk.toMillis() * (deltas.size() + 3));
		}
		stub(response);
	}

	@Override
	protected Stream<ErrorCase> errorCases() {
		return Stream.of(
				new ErrorCase("401 invalid_api_key", () -> stub(error(401, "invalid_api_key")),
						ChatErrorCode.UNAUTHORIZED),
				new ErrorCase("429 rate_limit_exceeded",
						() -> stub(error(429, "rate_limit_exceeded").withHeader("Retry-After", "1")),
						ChatErrorCode.RATE_LIMITED),
				new ErrorCase("429 insufficient_quota", () -> stub(error(429, "insufficient_quota")),
						ChatErrorCode.RATE_LIMITED),
				new ErrorCase("400 invalid request", () -> stub(error(400, null)), ChatErrorCode.BAD_REQUEST),
				new ErrorCase("500 server error", () -> stub(error(500, null)), ChatErrorCode.UNAVAILABLE),
				new ErrorCase("503 overloaded", () -> stub(error(503, null)), ChatErrorCode.UNAVAILABLE),
				new ErrorCase("no answer within the timeout (first token for streams, total for calls)",
						() -> stub(aResponse().withFixedDelay(3000).withBody("{}")), ChatErrorCode.TIMEOUT));
	}

	private void stub(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(response));
	}

	private static ResponseDefinitionBuilder error(int status, String code) {
		String codeJson = (code != null) ? "\"" + code + "\"" : "null";
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"message\":\"failure " + status + "\",\"type\":\""
					+ ((code != null) ? code : "server_error") + "\",\"param\":null,\"code\":" + codeJson + "}}");
	}

}
