package io.chatrelay.provider.model.ernie;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.chatrelay.provider.model.TestVectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * Qianfan wire formats for the WireMock stand-in, derived from
 * {@code vectors/llm-qianfan.json} so that the stubs keep the vector's exact field names
 * and shapes.
 */
final class ErnieStubs {

	static final JsonNode VECTOR = TestVectors.load("llm-qianfan.json");

	static final String TOKEN_PATH = "/oauth/2.0/token";

	static final String V1_CHAT_PATH = "/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/ernie_speed";

	static final String V2_CHAT_PATH = "/v2/chat/completions";

	/** The vector's access token placeholder. */
	static final String ACCESS_TOKEN = VECTOR.at("/v1/token/response_body/access_token").asText();

	private ErnieStubs() {
	}

	static ResponseDefinitionBuilder json(String body) {
		return aResponse().withHeader("Content-Type", "application/json").withBody(body);
	}

	static ResponseDefinitionBuilder sse(String body) {
		return aResponse().withHeader("Content-Type", "text/event-stream").withBody(body);
	}

	/** The vector's token answer carrying the given token. */
	static String tokenBody(String accessToken) {
		ObjectNode body = copy("/v1/token/response_body");
		body.put("access_token", accessToken);
		return body.toString();
	}

	/** The vector's {@code invalid_client} answer. */
	static String tokenErrorBody() {
		return VECTOR.at("/v1/token/error_body").toString();
	}

	/** The vector's v1 answer with another result. */
	static String v1Answer(String result) {
		ObjectNode body = copy("/v1/non_stream/response_body");
		body.put("result", result);
		return body.toString();
	}

	/** A v1 HTTP-200 error body in the vector's shape. */
	static String v1Error(int code, String message) {
		ObjectNode body = copy("/v1/errors/shape");
		body.put("error_code", code);
		body.put("error_msg", message);
		return body.toString();
	}

	/** The vector's first v1 stream event with another delta, not the last. */
	static String v1Event(String delta, int sentence) {
		ObjectNode event = (ObjectNode) readLine(0);
		event.put("result", delta);
		event.put("sentence_id", sentence);
		return "data: " + event + "\n\n";
	}

	/** The vector's last v1 stream event ({@code is_end:true}, usage 5/420/425). */
	static String v1LastEvent() {
		return VECTOR.at("/v1/stream/sse_lines/1").asText() + "\n\n";
	}

	/** A v1 stream of these deltas ending with {@code is_end:true}; no [DONE]. */
	static String v1Stream(List<String> deltas) {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < deltas.size(); i++) {
			body.append(v1Event(deltas.get(i), i));
		}
		return body.append(v1LastEvent()).toString();
	}

	/** The vector's v2 answer with another content. */
	static String v2Answer(String content) {
		ObjectNode body = copy("/v2/response_body/body");
		((ObjectNode) body.at("/choices/0/message")).put("content", content);
		return body.toString();
	}

	/**
	 * An answer or event marked by ERNIE's content safety: {@code flag} and
	 * {@code need_clear_history:true} next to the vector's {@code need_clear_history}.
	 */
	static String flagged(String body, int flag) {
		return body.replace("\"need_clear_history\":false", "\"need_clear_history\":true,\"flag\":" + flag);
	}

	/** The vector's v2 chunk with another delta. */
	static String v2Chunk(String delta) {
		ObjectNode chunk = v2ChunkNode();
		((ObjectNode) chunk.at("/choices/0/delta")).put("content", delta);
		return "data: " + chunk + "\n\n";
	}

	/** A v2 stream of these deltas, a finishing chunk, then [DONE]. */
	static String v2Stream(List<String> deltas) {
		StringBuilder body = new StringBuilder();
		deltas.forEach((delta) -> body.append(v2Chunk(delta)));
		ObjectNode last = v2ChunkNode();
		ObjectNode choice = (ObjectNode) last.at("/choices/0");
		choice.putObject("delta");
		choice.put("finish_reason", "stop");
		choice.put("is_end", true);
		((ObjectNode) last.get("usage")).put("completion_tokens", 9).put("total_tokens", 11);
		return body.append("data: ").append(last).append("\n\n").append("data: [DONE]\n\n").toString();
	}

	/** A v2 error body in the vector's shape. */
	static String v2Error(String code, String message) {
		ObjectNode body = copy("/v2/error/body");
		((ObjectNode) body.get("error")).put("code", code).put("message", message);
		return body.toString();
	}

	private static ObjectNode v2ChunkNode() {
		String sseText = VECTOR.at("/v2/stream/sse_text").asText();
		String first = sseText.substring("data: ".length(), sseText.indexOf("\n\n"));
		return (ObjectNode) read(first);
	}

	private static JsonNode readLine(int index) {
		return read(VECTOR.at("/v1/stream/sse_lines/" + index).asText().substring("data: ".length()));
	}

	private static ObjectNode copy(String pointer) {
		return VECTOR.at(pointer).deepCopy();
	}

	private static JsonNode read(String json) {
		try {
			return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
