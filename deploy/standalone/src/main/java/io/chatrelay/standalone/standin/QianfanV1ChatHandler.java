package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Baidu ERNIE classic v1
 * ({@code POST /rpc/2.0/ai_custom/v1/wenxinworkshop/chat/<endpoint>?access_token=…}) on
 * the wire, as in {@code shared/protocols/vectors/llm-qianfan.json} ({@code v1}). Any
 * endpoint name is served; the system prompt comes in the top-level {@code system}.
 *
 * <p>
 * Every error is HTTP 200 with {@code {"error_code":N,"error_msg":…}}, streamed calls
 * included: 110 for an unknown or missing token, 111 for one expired by
 * {@link QianfanTokens#expireAll()}, 336003 when {@code messages} is empty, even in
 * number, or does not alternate user/assistant starting with user. The answer is
 * {@code {id, object, created, result, is_truncated, need_clear_history, usage}}; a
 * stream sends one such object per token with {@code sentence_id} and
 * {@code is_end:false}, then one with {@code is_end:true} and an empty {@code result},
 * and no {@code [DONE]}.
 */
final class QianfanV1ChatHandler extends VendorHandler {

	static final String PATH = "/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/";

	private final QianfanTokens tokens;

	QianfanV1ChatHandler(HandlerContext context) {
		super(StandInVendor.QIANFAN, PATH, context);
		this.tokens = context.tokens();
	}

	@Override
	public String shownPath() {
		return PATH + "<endpoint>";
	}

	@Override
	boolean matches(String requestPath) {
		return requestPath.startsWith(PATH) && requestPath.length() > PATH.length()
				&& requestPath.indexOf('/', PATH.length()) < 0;
	}

	@Override
	void authorize(HttpExchange exchange) throws Rejected {
		String token = FormData.parse(exchange.getRequestURI().getRawQuery()).get("access_token");
		switch (this.tokens.check(token)) {
			case UNKNOWN -> throw new Rejected(Rejection.UNAUTHORIZED, null);
			case EXPIRED -> throw new Rejected(Rejection.TOKEN_EXPIRED, null);
			default -> {
			}
		}
	}

	@Override
	ChatCall parse(JsonNode body, String requestPath) {
		if (!body.isObject()) {
			throw new IllegalArgumentException("the request body must be a JSON object");
		}
		JsonNode messages = body.path("messages");
		if (!messages.isArray() || messages.isEmpty()) {
			throw new IllegalArgumentException("the messages must not be empty");
		}
		if (messages.size() % 2 == 0) {
			throw new IllegalArgumentException("messages length must be odd");
		}
		List<ChatTurn> turns = new ArrayList<>();
		if (body.path("system").isTextual()) {
			turns.add(new ChatTurn("system", body.path("system").asText()));
		}
		for (int i = 0; i < messages.size(); i++) {
			String role = messages.get(i).path("role").asText("");
			boolean userTurn = i % 2 == 0;
			if (userTurn && !"user".equals(role) && !"function".equals(role)) {
				throw new IllegalArgumentException(
						"the role of message with even index in the messages must be user or function");
			}
			if (!userTurn && !"assistant".equals(role)) {
				throw new IllegalArgumentException(
						"the role of message with odd index in the messages must be assistant");
			}
			turns.add(new ChatTurn(role, messages.get(i).path("content").asText("")));
		}
		String endpoint = requestPath.substring(PATH.length());
		return new ChatCall(endpoint, turns, body.path("stream").asBoolean(false), false);
	}

	@Override
	JsonNode unaryBody(Answer answer) {
		ObjectNode body = envelope(answer);
		body.put("result", answer.reply().text());
		body.put("is_truncated", false);
		body.put("need_clear_history", false);
		body.set("usage", usage(answer.reply().promptTokens(), answer.reply().completionTokens()));
		return body;
	}

	@Override
	void streamToken(Answer answer, int index, String token, SseWriter sse) throws IOException {
		sse.data(chunk(answer, index, false, token, index + 1));
	}

	@Override
	void streamClosing(Answer answer, SseWriter sse) throws IOException {
		int tokens = answer.reply().completionTokens();
		sse.data(chunk(answer, tokens, true, "", tokens));
	}

	@Override
	JsonNode errorBody(Rejected rejected) {
		int code;
		String message;
		switch (rejected.rejection()) {
			case UNAUTHORIZED -> {
				code = 110;
				message = "Access token invalid or no longer valid";
			}
			case TOKEN_EXPIRED -> {
				code = 111;
				message = "Access token expired";
			}
			case BAD_REQUEST -> {
				code = 336003;
				message = "Invalid parameter";
			}
			case MALFORMED_JSON -> {
				code = 336002;
				message = "Invalid JSON";
			}
			case RATE_LIMITED -> {
				code = 18;
				message = "Open api qps request limit reached";
			}
			case UNAVAILABLE -> {
				code = 336100;
				message = "There is a high load on the service, please try again later";
			}
			case SERVER_ERROR -> {
				code = 336000;
				message = "Internal error";
			}
			case METHOD_NOT_ALLOWED -> {
				code = 336101;
				message = "Invalid HTTP method";
			}
			default -> {
				code = 336005;
				message = "API name not exist";
			}
		}
		ObjectNode body = json().createObjectNode();
		body.put("error_code", (rejected.code() != null) ? Integer.parseInt(rejected.code()) : code);
		body.put("error_msg", rejected.messageOr(message));
		return body;
	}

	/** ERNIE v1 answers every error with HTTP 200. */
	@Override
	int errorStatus(Rejection rejection) {
		return 200;
	}

	@Override
	String responseId(long sequence) {
		return "as-standin" + sequence;
	}

	private ObjectNode chunk(Answer answer, int sentenceId, boolean end, String result, int completionTokens) {
		ObjectNode chunk = envelope(answer);
		chunk.put("sentence_id", sentenceId);
		chunk.put("is_end", end);
		chunk.put("is_truncated", false);
		chunk.put("result", result);
		chunk.put("need_clear_history", false);
		chunk.put("finish_reason", "normal");
		chunk.set("usage", usage(answer.reply().promptTokens(), completionTokens));
		return chunk;
	}

	private ObjectNode envelope(Answer answer) {
		ObjectNode body = json().createObjectNode();
		body.put("id", answer.id());
		body.put("object", "chat.completion");
		body.put("created", answer.created().getEpochSecond());
		return body;
	}

}
