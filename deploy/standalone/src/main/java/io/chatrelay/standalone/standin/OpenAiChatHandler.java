package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * OpenAI Chat Completions ({@code POST /v1/chat/completions}) on the wire, as in
 * {@code shared/protocols/vectors/llm-openai.json}: the JSON completion, and the
 * data-only SSE stream (role delta, one chunk per token, {@code delta:{}} with
 * {@code finish_reason:"stop"}, the optional {@code include_usage} chunk with
 * {@code choices:[]}, then {@code [DONE]}). Errors are {@code {"error":{message, type,
 * param, code}}}.
 */
final class OpenAiChatHandler extends VendorHandler {

	static final String PATH = "/v1/chat/completions";

	private static final String DEFAULT_MODEL = "gpt-4o-mini";

	private static final String FINGERPRINT = "fp_standin";

	private static final String MISSING_KEY = "You didn't provide an API key. You need to provide your API key in an"
			+ " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field"
			+ " (with blank username) if you're accessing the API from your browser and are prompted for a username."
			+ " You can obtain an API key from https://platform.openai.com/account/api-keys.";

	OpenAiChatHandler(HandlerContext context) {
		super(StandInVendor.OPENAI, PATH, context);
	}

	@Override
	void authorize(HttpExchange exchange) throws Rejected {
		if (bearerToken(exchange.getRequestHeaders()) == null) {
			throw new Rejected(Rejection.UNAUTHORIZED, MISSING_KEY);
		}
	}

	@Override
	ChatCall parse(JsonNode body, String requestPath) {
		List<ChatTurn> turns = messages(body);
		boolean stream = body.path("stream").asBoolean(false);
		boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
		return new ChatCall(body.path("model").asText(DEFAULT_MODEL), turns, stream, includeUsage);
	}

	@Override
	JsonNode unaryBody(Answer answer) {
		ObjectNode body = json().createObjectNode();
		body.put("id", answer.id());
		body.put("object", "chat.completion");
		body.put("created", answer.created().getEpochSecond());
		body.put("model", answer.call().model());
		ObjectNode choice = body.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		message.put("content", answer.reply().text());
		message.putNull("refusal");
		message.putArray("annotations");
		choice.putNull("logprobs");
		choice.put("finish_reason", "stop");
		body.set("usage", usage(answer.reply()));
		body.put("service_tier", "default");
		body.put("system_fingerprint", FINGERPRINT);
		return body;
	}

	@Override
	void streamOpening(Answer answer, SseWriter sse) throws IOException {
		sse.data(chunk(answer, json().createObjectNode().put("role", "assistant").put("content", ""), null));
	}

	@Override
	void streamToken(Answer answer, int index, String token, SseWriter sse) throws IOException {
		sse.data(chunk(answer, json().createObjectNode().put("content", token), null));
	}

	@Override
	void streamClosing(Answer answer, SseWriter sse) throws IOException {
		sse.data(chunk(answer, json().createObjectNode(), "stop"));
		if (answer.call().includeUsage()) {
			ObjectNode tail = chunkEnvelope(answer);
			tail.putArray("choices");
			tail.set("usage", usage(answer.reply()));
			sse.data(tail);
		}
		sse.data("[DONE]");
	}

	@Override
	JsonNode errorBody(Rejected rejected) {
		ObjectNode error = json().createObjectNode();
		ObjectNode detail = error.putObject("error");
		switch (rejected.rejection()) {
			case RATE_LIMITED -> detail.put("message", rejected.messageOr("Rate limit reached for requests."))
				.put("type", "requests")
				.putNull("param")
				.put("code", "rate_limit_exceeded");
			case UNAVAILABLE -> detail.put("message", rejected.messageOr("The server is overloaded or not ready yet."))
				.put("type", "server_error")
				.putNull("param")
				.putNull("code");
			case SERVER_ERROR ->
				detail
					.put("message",
							rejected
								.messageOr("The server had an error while processing your request. Sorry about that!"))
					.put("type", "server_error")
					.putNull("param")
					.putNull("code");
			case MALFORMED_JSON ->
				detail.put("message", rejected.messageOr("We could not parse the JSON body of your request."))
					.put("type", "invalid_request_error")
					.putNull("param")
					.putNull("code");
			default -> detail.put("message", rejected.messageOr(rejected.rejection().name()))
				.put("type", "invalid_request_error")
				.putNull("param")
				.putNull("code");
		}
		return error;
	}

	@Override
	String responseId(long sequence) {
		return "chatcmpl-standin" + sequence;
	}

	@Override
	void addHeaders(Headers headers, String id) {
		headers.set("x-request-id", "req_" + id);
		headers.set("openai-processing-ms", "1");
	}

	/** The non-empty key of an {@code Authorization: Bearer <key>} header, or null. */
	static String bearerToken(Headers headers) {
		String authorization = headers.getFirst("Authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = authorization.substring(7).trim();
		return token.isEmpty() ? null : token;
	}

	/**
	 * The {@code messages} of an OpenAI-style body (OpenAI, Zhipu, Qianfan v2).
	 * @throws IllegalArgumentException if the body is not an object with messages
	 */
	static List<ChatTurn> messages(JsonNode body) {
		if (!body.isObject()) {
			throw new IllegalArgumentException("The request body must be a JSON object.");
		}
		JsonNode messages = body.path("messages");
		if (!messages.isArray() || messages.isEmpty()) {
			throw new IllegalArgumentException("'messages' must be a non-empty array.");
		}
		List<ChatTurn> turns = new ArrayList<>();
		for (JsonNode message : messages) {
			turns.add(new ChatTurn(message.path("role").asText(""), text(message.path("content"))));
		}
		return turns;
	}

	private ObjectNode chunk(Answer answer, ObjectNode delta, String finishReason) {
		ObjectNode chunk = chunkEnvelope(answer);
		ObjectNode choice = chunk.putArray("choices").addObject();
		choice.put("index", 0);
		choice.set("delta", delta);
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason);
		if (answer.call().includeUsage()) {
			chunk.putNull("usage");
		}
		return chunk;
	}

	private ObjectNode chunkEnvelope(Answer answer) {
		ObjectNode chunk = json().createObjectNode();
		chunk.put("id", answer.id());
		chunk.put("object", "chat.completion.chunk");
		chunk.put("created", answer.created().getEpochSecond());
		chunk.put("model", answer.call().model());
		chunk.put("system_fingerprint", FINGERPRINT);
		return chunk;
	}

	private ObjectNode usage(EchoReply reply) {
		ObjectNode usage = json().createObjectNode();
		usage.put("prompt_tokens", reply.promptTokens());
		usage.put("completion_tokens", reply.completionTokens());
		usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
		usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
		usage.putObject("completion_tokens_details")
			.put("reasoning_tokens", 0)
			.put("audio_tokens", 0)
			.put("accepted_prediction_tokens", 0)
			.put("rejected_prediction_tokens", 0);
		return usage;
	}

	/** Message content is a string, or an array of parts of which the text ones count. */
	private static String text(JsonNode content) {
		if (content.isTextual()) {
			return content.asText();
		}
		if (content.isArray()) {
			List<String> parts = new ArrayList<>();
			for (JsonNode part : content) {
				if ("text".equals(part.path("type").asText())) {
					parts.add(part.path("text").asText(""));
				}
			}
			return String.join("\n", parts);
		}
		return "";
	}

}
