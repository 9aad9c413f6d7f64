package io.chatrelay.client.channel.feishu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

/**
 * Reads Feishu/Lark event subscription callbacks (protocols C.1–C.3): decrypts
 * {@code {"encrypt":…}} bodies, checks the Verification Token and turns the JSON into a
 * {@link FeishuEvent}. Only schema 2.0 events are read; {@code url_verification} keeps
 * its own flat shape. Thread-safe.
 */
final class FeishuEvents {

	/** The event type of a message sent to the bot. */
	static final String MESSAGE_RECEIVE = "im.message.receive_v1";

	/** How a mention placeholder starts, as in {@code "@_user_1 hi"}; digits follow. */
	private static final String MENTION = "@_user_";

	private static final int MAX_MILLIS_DIGITS = 15;

	private final FeishuCrypto crypto;

	private final byte[] verificationToken;

	private final ObjectMapper json;

	/**
	 * Create the reader of one app.
	 * @param crypto the app's Encrypt Key codec (may have no key)
	 * @param verificationToken the app's Verification Token; {@code null} or blank to
	 * skip the token check (only sensible with an Encrypt Key, which signs every event)
	 * @param json the JSON mapper
	 */
	public FeishuEvents(FeishuCrypto crypto, String verificationToken, ObjectMapper json) {
		this.crypto = Objects.requireNonNull(crypto, "crypto");
		this.verificationToken = (verificationToken != null && !verificationToken.isBlank())
				? verificationToken.getBytes(StandardCharsets.UTF_8) : null;
		this.json = Objects.requireNonNull(json, "json");
	}

	/**
	 * Read a callback body. This does not check {@code X-Lark-Signature}: the controller
	 * calls {@link FeishuCrypto#verify} on the raw body before this method. The exception
	 * is {@code url_verification}, which Feishu does not sign and which the controller
	 * cannot recognise before reading (it may be encrypted): when an Encrypt Key is set
	 * and the signature headers are absent, read the body anyway but accept the result
	 * only if it is a {@link FeishuEvent.UrlVerification}, and reject anything else as
	 * {@link Reason#SIGNATURE}. A forged verification gains nothing: it only gets its own
	 * challenge echoed, and an encrypted one needs the key.
	 * @param rawBody the request body
	 * @return the event
	 * @throws CallbackRejectedException {@link Reason#SIGNATURE} when the Verification
	 * Token is configured and differs; {@link Reason#MALFORMED} when the body is not
	 * JSON, does not decrypt, is encrypted but no Encrypt Key is configured, or lacks
	 * {@code header}, {@code header.event_id} or a field a text message needs
	 */
	public FeishuEvent read(byte[] rawBody) {
		JsonNode body = parse(rawBody, "body");
		JsonNode encrypt = body.get("encrypt");
		if (encrypt != null) {
			if (!this.crypto.enabled()) {
				throw malformed("body is encrypted but no Encrypt Key is set");
			}
			if (!encrypt.isTextual()) {
				throw malformed("encrypt is not a string");
			}
			body = parse(this.crypto.decrypt(encrypt.textValue()).getBytes(StandardCharsets.UTF_8), "decrypted body");
		}
		if ("url_verification".equals(text(body, "type"))) {
			checkToken(text(body, "token"));
			return new FeishuEvent.UrlVerification(required(body, "challenge"));
		}
		JsonNode header = body.get("header");
		if (header == null || !header.isObject()) {
			throw malformed("callback has no header (only event schema 2.0 is read)");
		}
		checkToken(text(header, "token"));
		String eventId = required(header, "event_id");
		String eventType = text(header, "event_type");
		if (!MESSAGE_RECEIVE.equals(eventType)) {
			return new FeishuEvent.Ignored(eventId, eventType, "event type not handled");
		}
		return message(eventId, header, body.path("event"));
	}

	private FeishuEvent message(String eventId, JsonNode header, JsonNode event) {
		JsonNode message = event.path("message");
		String messageType = text(message, "message_type");
		if (!"text".equals(messageType)) {
			return new FeishuEvent.Ignored(eventId, MESSAGE_RECEIVE, "message type " + messageType + " not handled");
		}
		JsonNode sender = event.path("sender").path("sender_id");
		JsonNode mentions = message.path("mentions");
		return new FeishuEvent.MessageReceived(eventId, text(header, "app_id"), text(header, "tenant_key"),
				required(message, "message_id"), required(message, "chat_id"), required(message, "chat_type"),
				required(sender, "open_id"), text(sender, "user_id"), messageText(message),
				mentions.isArray() && !mentions.isEmpty(), createTime(message, header));
	}

	/** The text of {@code content}, itself a JSON string: {@code "{\"text\":\"…\"}"}. */
	private String messageText(JsonNode message) {
		JsonNode content = parse(required(message, "content").getBytes(StandardCharsets.UTF_8), "message content");
		String text = required(content, "text");
		return withoutMentions(text).strip();
	}

	/**
	 * The text without its mention placeholders ({@code @_user_} and one or more ASCII
	 * digits) and the whitespace just before each. One pass over the text: the time is
	 * linear in its length whatever it holds (a regex such as {@code \s*@_user_\d+}
	 * backtracks over every run of whitespace, quadratic on a long one without a
	 * mention).
	 * @param text the message text
	 * @return the text without placeholders, not stripped
	 */
	static String withoutMentions(String text) {
		if (text.indexOf(MENTION) < 0) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		int i = 0;
		while (i < text.length()) {
			int end = mentionEnd(text, i);
			if (end > i) {
				int keep = out.length();
				while (keep > 0 && isRegexSpace(out.charAt(keep - 1))) {
					keep--;
				}
				out.setLength(keep);
				i = end;
			}
			else {
				out.append(text.charAt(i));
				i++;
			}
		}
		return out.toString();
	}

	/**
	 * Where a placeholder starting at {@code at} ends, or {@code at} if none starts
	 * there.
	 */
	private static int mentionEnd(String text, int at) {
		if (!text.startsWith(MENTION, at)) {
			return at;
		}
		int end = at + MENTION.length();
		while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
			end++;
		}
		return (end > at + MENTION.length()) ? end : at;
	}

	/**
	 * Whitespace as the regex {@code \s} means it (ASCII): space and tab to carriage
	 * return.
	 */
	private static boolean isRegexSpace(char c) {
		return c == ' ' || (c >= '\t' && c <= '\r');
	}

	private long createTime(JsonNode message, JsonNode header) {
		String millis = text(message, "create_time");
		if (millis == null) {
			millis = text(header, "create_time");
		}
		if (millis == null || !FeishuCrypto.isDigits(millis, MAX_MILLIS_DIGITS)) {
			throw malformed("create_time is missing or not a number");
		}
		return Long.parseLong(millis);
	}

	private void checkToken(String token) {
		if (this.verificationToken == null) {
			return;
		}
		if (token == null || !MessageDigest.isEqual(this.verificationToken, token.getBytes(StandardCharsets.UTF_8))) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "Feishu verification token does not match");
		}
	}

	private JsonNode parse(byte[] data, String what) {
		JsonNode node;
		try {
			node = this.json.readTree(data);
		}
		catch (JsonProcessingException ex) {
			// The parser's message quotes the input: keep it out of the log.
			JsonLocation at = ex.getLocation();
			throw malformed(what + " is not JSON"
					+ ((at != null) ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : ""));
		}
		catch (IOException ex) {
			throw malformed(what + " is not JSON");
		}
		if (node == null || !node.isObject()) {
			throw malformed(what + " is not a JSON object");
		}
		return node;
	}

	private static String required(JsonNode node, String field) {
		String value = text(node, field);
		if (value == null || value.isEmpty()) {
			throw malformed(field + " is missing");
		}
		return value;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isValueNode() && !value.isNull()) ? value.asText() : null;
	}

	private static CallbackRejectedException malformed(String what) {
		return new CallbackRejectedException(Reason.MALFORMED, "Feishu " + what);
	}

}
