package io.chatrelay.standalone;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;

/**
 * OpenAI Chat Completions ({@code POST /v1/chat/completions}) on the wire, as in
 * {@code shared/protocols/vectors/llm-openai.json}: the JSON completion, and the
 * data-only SSE stream (role delta, one chunk per token, {@code delta:{}} with
 * {@code finish_reason:"stop"}, the optional {@code include_usage} chunk with
 * {@code choices:[]}, then {@code [DONE]}).
 */
final class OpenAiChatHandler extends VendorHandler {

	static final String PATH = "/v1/chat/completions";

	private static final String DEFAULT_MODEL = "gpt-4o-mini";

	private static final String FINGERPRINT = "fp_standin";

	private static final String MISSING_KEY = "You didn't provide an API key. You need to provide your API key in an"
			+ " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field"
			+ " (with blank username) if you're accessing the API from your browser and are prompted for a username."
			+ " You can obtain an API key from https://platform.openai.com/account/api-keys.";

	OpenAiChatHandler(StandInSettings settings, AtomicLong requests, ObjectMapper json) {
		super(PATH, settings, requests, json);
	}

	@Override
	boolean authorized(Headers headers) {
		String authorization = headers.getFirst("Authorization");
		return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
				&& !authorization.substring(7).isBlank();
	}

	@Override
	ChatCall parse(JsonNode body) {
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
		boolean stream = body.path("stream").asBoolean(false);
		boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
		return new ChatCall(body.path("model").asText(DEFAULT_MODEL), turns, stream, includeUsage);
	}

	@Override
	JsonNode unaryBody(ChatCall call, EchoReply reply, String id, Instant created) {
		ObjectNode body = json().createObjectNode();
		body.put("id", id);
		body.put("object", "chat.completion");
		body.put("created", created.getEpochSecond());
		body.put("model", call.model());
		ObjectNode choice = body.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		message.put("content", reply.text());
		message.putNull("refusal");
		message.putArray("annotations");
		choice.putNull("logprobs");
		choice.put("finish_reason", "stop");
		body.set("usage", usage(reply));
		body.put("service_tier", "default");
		body.put("system_fingerprint", FINGERPRINT);
		return body;
	}

	@Override
	void stream(ChatCall call, EchoReply reply, String id, Instant created, SseWriter sse)
			throws IOException, InterruptedException {
		ObjectNode roleDelta = json().createObjectNode().put("role", "assistant").put("content", "");
		sse.data(chunk(call, id, created, roleDelta, null));
		for (String token : reply.tokens()) {
			pauseBeforeToken();
			sse.data(chunk(call, id, created, json().createObjectNode().put("content", token), null));
		}
		sse.data(chunk(call, id, created, json().createObjectNode(), "stop"));
		if (call.includeUsage()) {
			ObjectNode tail = chunkEnvelope(call, id, created);
			tail.putArray("choices");
			tail.set("usage", usage(reply));
			sse.data(tail);
		}
		sse.data("[DONE]");
	}

	@Override
	JsonNode errorBody(Failure failure, String message) {
		ObjectNode error = json().createObjectNode();
		ObjectNode detail = error.putObject("error");
		detail.put("message", (failure == Failure.UNAUTHORIZED) ? MISSING_KEY : message);
		detail.put("type", "invalid_request_error");
		detail.putNull("param");
		detail.putNull("code");
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

	private ObjectNode chunk(ChatCall call, String id, Instant created, ObjectNode delta, String finishReason) {
		ObjectNode chunk = chunkEnvelope(call, id, created);
		ArrayNode choices = chunk.putArray("choices");
		ObjectNode choice = choices.addObject();
		choice.put("index", 0);
		choice.set("delta", delta);
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason);
		if (call.includeUsage()) {
			chunk.putNull("usage");
		}
		return chunk;
	}

	private ObjectNode chunkEnvelope(ChatCall call, String id, Instant created) {
		ObjectNode chunk = json().createObjectNode();
		chunk.put("id", id);
		chunk.put("object", "chat.completion.chunk");
		chunk.put("created", created.getEpochSecond());
		chunk.put("model", call.model());
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
