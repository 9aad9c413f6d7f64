package io.chatrelay.standalone.system;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * WireMock standing in for OpenAI's chat completions, speaking its exact wire format
 * (bodies from {@code ../shared/protocols/vectors/llm-openai.json}). A message containing
 * {@code trigger-429}, {@code trigger-500} or {@code trigger-timeout} makes it fail that
 * way.
 */
final class OpenAiStubs {

	private static final String PATH = "/v1/chat/completions";

	private static final String HEAD = "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
			+ "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",";

	private OpenAiStubs() {
	}

	static void install(WireMockServer server, String answer) {
		// The provider asks for a stream even for a whole answer (so the first-token
		// timeout sees a vendor that hangs): every answer is an SSE stream.
		server.stubFor(post(urlEqualTo(PATH)).atPriority(10).willReturn(streamed(answer)));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withRequestBody(containing("trigger-429"))
			.willReturn(aResponse().withStatus(429)
				.withHeader("Content-Type", "application/json")
				.withHeader("Retry-After", "2")
				.withHeader("x-request-id", "req_429")
				.withBody("{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini\",\"type\":\"requests\","
						+ "\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withRequestBody(containing("trigger-500"))
			.willReturn(aResponse().withStatus(500)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"message\":\"The server had an error while processing your request.\","
						+ "\"type\":\"server_error\",\"param\":null,\"code\":null}}")));
		server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
			.withRequestBody(containing("trigger-timeout"))
			.willReturn(streamed("too late").withFixedDelay(5000)));
	}

	/**
	 * An answer as OpenAI streams it: the text in (up to) four deltas, the finish chunk,
	 * the usage tail and {@code [DONE]}.
	 */
	static ResponseDefinitionBuilder streamed(String answer) {
		int[] cuts = { 0, answer.length() / 4, answer.length() / 2, 3 * answer.length() / 4, answer.length() };
		String[] deltas = java.util.stream.IntStream.range(0, 4)
			.mapToObj((i) -> answer.substring(cuts[i], cuts[i + 1]))
			.filter((delta) -> !delta.isEmpty())
			.toArray(String[]::new);
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(stream(deltas));
	}

	static String completion(String answer) {
		return """
				{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
				 "model":"gpt-5.4","choices":[{"index":0,"message":{"role":"assistant","content":"%s",
				 "refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29},"service_tier":"default"}
				""".formatted(answer);
	}

	/**
	 * A stream that breaks off: the deltas, then the body ends without a finish reason or
	 * {@code [DONE]}.
	 */
	static String brokenStream(String... deltas) {
		return deltas(deltas).toString();
	}

	static String stream(String... deltas) {
		StringBuilder sse = deltas(deltas);
		sse.append("data: ")
			.append(HEAD)
			.append("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
					+ "\"usage\":null}\n\n");
		sse.append("data: ")
			.append(HEAD)
			.append("\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29}}\n\n");
		sse.append("data: [DONE]\n\n");
		return sse.toString();
	}

	private static StringBuilder deltas(String... deltas) {
		StringBuilder sse = new StringBuilder();
		sse.append("data: ")
			.append(HEAD)
			.append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
					+ "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
		for (String delta : deltas) {
			sse.append("data: ")
				.append(HEAD)
				.append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
				.append(delta)
				.append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
		}
		return sse;
	}

}
