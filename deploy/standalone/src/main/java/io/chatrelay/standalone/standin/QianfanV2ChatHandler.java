package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Baidu Qianfan v2 ({@code POST /v2/chat/completions}), the OpenAI-compatible API, as in
 * {@code shared/protocols/vectors/llm-qianfan.json} ({@code v2}): any non-empty
 * {@code Authorization: Bearer bce-v3/…} key; the completion carries
 * {@code need_clear_history} in its choice; stream chunks are labelled
 * {@code object:"chat.completion"} with {@code is_end} and {@code need_clear_history} as
 * Baidu's SDK mock sends them, the last one with {@code finish_reason:"stop"} and
 * {@code is_end:true}; then {@code [DONE]}.
 *
 * <p>
 * Like the SDK mock, the messages other than {@code system} must be odd in number (HTTP
 * 400 {@code invalid_argument}). Errors are
 * {@code {"error":{"code":…,"message":…},"id":"as-…"}}; only {@code invalid_argument} is
 * documented, the other codes are this stand-in's choice.
 */
final class QianfanV2ChatHandler extends VendorHandler {

	static final String PATH = "/v2/chat/completions";

	private static final String DEFAULT_MODEL = "ernie-speed-128k";

	QianfanV2ChatHandler(HandlerContext context) {
		super(StandInVendor.QIANFAN, PATH, context);
	}

	@Override
	void authorize(HttpExchange exchange) throws Rejected {
		if (OpenAiChatHandler.bearerToken(exchange.getRequestHeaders()) == null) {
			throw new Rejected(Rejection.UNAUTHORIZED, null);
		}
	}

	@Override
	ChatCall parse(JsonNode body, String requestPath) {
		List<ChatTurn> turns = OpenAiChatHandler.messages(body);
		long conversation = turns.stream().filter((turn) -> !"system".equals(turn.role())).count();
		if (conversation % 2 == 0) {
			throw new IllegalArgumentException("the length of messages must be an odd number");
		}
		return new ChatCall(body.path("model").asText(DEFAULT_MODEL), turns, body.path("stream").asBoolean(false),
				false);
	}

	@Override
	JsonNode unaryBody(Answer answer) {
		ObjectNode body = envelope(answer);
		ObjectNode choice = body.putArray("choices").addObject();
		choice.put("index", 0);
		choice.putObject("message").put("role", "assistant").put("content", answer.reply().text());
		choice.put("finish_reason", "stop");
		choice.put("need_clear_history", false);
		body.set("usage", usage(answer.reply().promptTokens(), answer.reply().completionTokens()));
		return body;
	}

	@Override
	void streamToken(Answer answer, int index, String token, SseWriter sse) throws IOException {
		ObjectNode chunk = envelope(answer);
		ObjectNode choice = chunk.putArray("choices").addObject();
		choice.put("index", 0);
		choice.putObject("delta").put("content", token);
		choice.put("is_end", false);
		choice.put("need_clear_history", false);
		chunk.set("usage", usage(answer.reply().promptTokens(), index + 1));
		sse.data(chunk);
	}

	@Override
	void streamClosing(Answer answer, SseWriter sse) throws IOException {
		ObjectNode chunk = envelope(answer);
		ObjectNode choice = chunk.putArray("choices").addObject();
		choice.put("index", 0);
		choice.putObject("delta").put("content", "");
		choice.put("finish_reason", "stop");
		choice.put("is_end", true);
		choice.put("need_clear_history", false);
		chunk.set("usage", usage(answer.reply().promptTokens(), answer.reply().completionTokens()));
		sse.data(chunk);
		sse.data("[DONE]");
	}

	@Override
	JsonNode errorBody(Rejected rejected) {
		String code;
		String message;
		switch (rejected.rejection()) {
			case BAD_REQUEST, MALFORMED_JSON -> {
				code = "invalid_argument";
				message = "invalid argument";
			}
			case UNAUTHORIZED, TOKEN_EXPIRED -> {
				code = "invalid_iam_token";
				message = "IAM Certification failed";
			}
			case RATE_LIMITED -> {
				code = "rpm_rate_limit_exceeded";
				message = "Rpm limit exceeded";
			}
			case UNAVAILABLE -> {
				code = "service_unavailable";
				message = "Service temporarily unavailable";
			}
			case SERVER_ERROR -> {
				code = "internal_error";
				message = "Internal error";
			}
			default -> {
				code = "not_found";
				message = rejected.rejection().name();
			}
		}
		ObjectNode body = json().createObjectNode();
		body.putObject("error")
			.put("code", (rejected.code() != null) ? rejected.code() : code)
			.put("message", rejected.messageOr(message));
		body.put("id", "as-standin-error");
		return body;
	}

	@Override
	String responseId(long sequence) {
		return "as-standin" + sequence;
	}

	private ObjectNode envelope(Answer answer) {
		ObjectNode body = json().createObjectNode();
		body.put("id", answer.id());
		body.put("object", "chat.completion");
		body.put("created", answer.created().getEpochSecond());
		body.put("model", answer.call().model());
		return body;
	}

}
