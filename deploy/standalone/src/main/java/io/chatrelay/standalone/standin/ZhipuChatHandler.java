package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Zhipu GLM v4 ({@code POST /api/paas/v4/chat/completions}) on the wire, as in
 * {@code shared/protocols/vectors/llm-zhipu.json}: OpenAI-like, but the completion has no
 * {@code object} and carries {@code request_id}; every stream delta repeats {@code role};
 * the last chunk carries {@code finish_reason} and {@code usage} without
 * {@code stream_options}; then {@code [DONE]}. Errors are
 * {@code {"error":{"code":"<numeric string>","message":…}}}.
 *
 * <p>
 * Credentials: {@code Authorization: Bearer <key>} (the bare token is accepted too). A
 * key with three dot-separated parts is taken for the SDK's JWT and checked for shape
 * only: header {@code alg} HS256, payload {@code api_key}, {@code exp} and
 * {@code timestamp}, and {@code exp} (milliseconds) not past, which catches an
 * {@code exp} in seconds. The signature is not verified: the stand-in has no secret.
 */
final class ZhipuChatHandler extends VendorHandler {

	static final String PATH = "/api/paas/v4/chat/completions";

	private static final String DEFAULT_MODEL = "glm-4-flash";

	/** Zhipu's numeric ids are 19 digits. */
	private static final long ID_BASE = 8_239_375_684_858_000_000L;

	ZhipuChatHandler(HandlerContext context) {
		super(StandInVendor.ZHIPU, PATH, context);
	}

	@Override
	void authorize(HttpExchange exchange) throws Rejected {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		String token = (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7))
				? authorization.substring(7).trim() : (authorization != null) ? authorization.trim() : "";
		if (token.isEmpty()) {
			throw new Rejected(Rejection.UNAUTHORIZED, "1001", "Header中未收到Authorization参数，无法进行身份验证。");
		}
		String[] parts = token.split("\\.", -1);
		if (parts.length == 3) {
			checkJwt(parts);
		}
	}

	@Override
	ChatCall parse(JsonNode body, String requestPath) {
		JsonNode requestId = body.path("request_id");
		return new ChatCall(body.path("model").asText(DEFAULT_MODEL), OpenAiChatHandler.messages(body),
				body.path("stream").asBoolean(false), false, requestId.isTextual() ? requestId.asText() : null);
	}

	@Override
	JsonNode unaryBody(Answer answer) {
		ObjectNode body = json().createObjectNode();
		body.put("created", answer.created().getEpochSecond());
		body.put("id", answer.id());
		body.put("model", answer.call().model());
		body.put("request_id", (answer.call().requestId() != null) ? answer.call().requestId() : answer.id());
		ObjectNode choice = body.putArray("choices").addObject();
		choice.put("finish_reason", "stop");
		choice.put("index", 0);
		choice.putObject("message").put("content", answer.reply().text()).put("role", "assistant");
		body.set("usage", usage(answer.reply().promptTokens(), answer.reply().completionTokens()));
		return body;
	}

	@Override
	void streamToken(Answer answer, int index, String token, SseWriter sse) throws IOException {
		sse.data(chunk(answer, token, null));
	}

	@Override
	void streamClosing(Answer answer, SseWriter sse) throws IOException {
		ObjectNode last = chunk(answer, "", "stop");
		last.set("usage", usage(answer.reply().promptTokens(), answer.reply().completionTokens()));
		sse.data(last);
		sse.data("[DONE]");
	}

	@Override
	JsonNode errorBody(Rejected rejected) {
		String code;
		String message;
		switch (rejected.rejection()) {
			case UNAUTHORIZED -> {
				code = "1002";
				message = "Authorization Token非法，请确认Authorization Token正确传递。";
			}
			case TOKEN_EXPIRED -> {
				code = "1003";
				message = "Authorization Token已过期，请重新生成/获取。";
			}
			case RATE_LIMITED -> {
				code = "1302";
				message = "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。";
			}
			case UNAVAILABLE -> {
				code = "1305";
				message = "当前API请求过多，请稍后重试。";
			}
			case SERVER_ERROR -> {
				code = "500";
				message = "内部错误。";
			}
			case MALFORMED_JSON -> {
				code = "1210";
				message = "API 调用参数有误，请检查文档。";
			}
			case BAD_REQUEST -> {
				code = "1214";
				message = "messages 参数非法。请检查文档。";
			}
			default -> {
				code = String.valueOf(rejected.rejection().status());
				message = rejected.rejection().name();
			}
		}
		ObjectNode body = json().createObjectNode();
		body.putObject("error")
			.put("code", (rejected.code() != null) ? rejected.code() : code)
			.put("message", rejected.messageOr(message));
		return body;
	}

	@Override
	String responseId(long sequence) {
		return Long.toString(ID_BASE + sequence);
	}

	private ObjectNode chunk(Answer answer, String content, String finishReason) {
		ObjectNode chunk = json().createObjectNode();
		chunk.put("id", answer.id());
		chunk.put("created", answer.created().getEpochSecond());
		chunk.put("model", answer.call().model());
		ObjectNode choice = chunk.putArray("choices").addObject();
		choice.put("index", 0);
		if (finishReason != null) {
			choice.put("finish_reason", finishReason);
		}
		choice.putObject("delta").put("role", "assistant").put("content", content);
		return chunk;
	}

	private void checkJwt(String[] parts) throws Rejected {
		JsonNode header = decodeJwtPart(parts[0]);
		JsonNode payload = decodeJwtPart(parts[1]);
		if (header == null || payload == null || parts[2].isEmpty() || !"HS256".equals(header.path("alg").asText())
				|| payload.path("api_key").asText("").isEmpty() || !payload.path("exp").isIntegralNumber()
				|| !payload.path("timestamp").isIntegralNumber()) {
			throw new Rejected(Rejection.UNAUTHORIZED, null);
		}
		if (payload.path("exp").asLong() < System.currentTimeMillis()) {
			throw new Rejected(Rejection.TOKEN_EXPIRED, null);
		}
	}

	private JsonNode decodeJwtPart(String part) {
		try {
			JsonNode node = json().readTree(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
			return (node != null && node.isObject()) ? node : null;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return null;
		}
	}

}
