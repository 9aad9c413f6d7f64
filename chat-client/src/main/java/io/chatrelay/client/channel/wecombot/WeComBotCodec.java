package io.chatrelay.client.channel.wecombot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

/**
 * Reads WeCom 智能机器人 callbacks and writes their encrypted stream replies (protocols A.3).
 * The crypto is the app callback's (A.1) with receiveId {@code ""}; the envelopes are
 * JSON: {@code {"encrypt":…}} in, {@code {"encrypt","msgsignature","timestamp","nonce"}}
 * out.
 * <p>
 * Stream content is cumulative: every reply carries the whole answer so far, at most
 * {@value #MAX_STREAM_CONTENT_BYTES} bytes of UTF-8. Thread-safe if the
 * {@link ObjectMapper} is not reconfigured.
 */
final class WeComBotCodec {

	/** The stream {@code content} limit, in UTF-8 bytes. */
	public static final int MAX_STREAM_CONTENT_BYTES = 20480;

	private final WeComCrypto crypto;

	private final ObjectMapper json;

	/**
	 * Create a codec for one bot.
	 * @param crypto the bot's crypto, built with receiveId {@code ""}
	 * @param json the mapper for the JSON envelopes and messages
	 */
	public WeComBotCodec(WeComCrypto crypto, ObjectMapper json) {
		this.crypto = Objects.requireNonNull(crypto, "crypto");
		this.json = Objects.requireNonNull(json, "json");
	}

	/**
	 * Verify, decrypt and read one POST callback.
	 * @param msgSignature the {@code msg_signature} query parameter
	 * @param timestamp the {@code timestamp} query parameter
	 * @param nonce the {@code nonce} query parameter
	 * @param body the raw POST body, {@code {"encrypt":"…"}}
	 * @return the callback
	 * @throws CallbackRejectedException with {@link Reason#MALFORMED} for a body or a
	 * message that is not the documented JSON, {@link Reason#SIGNATURE} for a wrong
	 * signature, {@link Reason#WRONG_RECEIVER} for a message to another receiveId
	 */
	public WeComBotCallback read(String msgSignature, String timestamp, String nonce, byte[] body) {
		if (body == null || body.length == 0) {
			throw malformed("WeCom bot callback body is empty");
		}
		String encrypt = text(object(body, "WeCom bot callback body"), "encrypt");
		if (encrypt == null || encrypt.isEmpty()) {
			throw malformed("WeCom bot callback has no encrypt field");
		}
		this.crypto.verify(msgSignature, timestamp, nonce, encrypt);
		String plaintext = this.crypto.decrypt(encrypt);
		return callback(object(plaintext, "WeCom bot message"));
	}

	/**
	 * The encrypted passive reply to a callback carrying the current stream content.
	 * @param streamId the stream, chosen on the first reply and repeated on every refresh
	 * @param content the whole answer so far (cumulative, markdown); truncated between
	 * characters to {@value #MAX_STREAM_CONTENT_BYTES} UTF-8 bytes
	 * @param finish whether this is the final content (stops the refresh callbacks)
	 * @param nonce the {@code nonce} of the callback being answered
	 * @param timestamp seconds since the epoch, as decimal digits
	 * @return the HTTP response body, JSON
	 */
	public String streamReply(String streamId, String content, boolean finish, String nonce, String timestamp) {
		return reply(streamPlaintext(streamId, content, finish), nonce, timestamp, null);
	}

	/**
	 * {@link #streamReply(String, String, boolean, String, String)} with a fixed random
	 * prefix, to reproduce vectors.
	 */
	String streamReply(byte[] random16, String streamId, String content, boolean finish, String nonce,
			String timestamp) {
		Objects.requireNonNull(random16, "random16");
		return reply(streamPlaintext(streamId, content, finish), nonce, timestamp, random16);
	}

	private String streamPlaintext(String streamId, String content, boolean finish) {
		if (streamId == null || streamId.isEmpty()) {
			throw new IllegalArgumentException("streamId must not be empty");
		}
		ObjectNode message = this.json.createObjectNode();
		message.put("msgtype", "stream");
		message.putObject("stream")
			.put("id", streamId)
			.put("finish", finish)
			.put("content", Utf8.truncate((content != null) ? content : "", MAX_STREAM_CONTENT_BYTES));
		return write(message);
	}

	private String reply(String plaintext, String nonce, String timestamp, byte[] random16) {
		if (nonce == null || nonce.isEmpty()) {
			throw new IllegalArgumentException("nonce must be the callback's nonce");
		}
		long seconds = seconds(timestamp);
		String encrypt = (random16 != null) ? this.crypto.encrypt(random16, plaintext) : this.crypto.encrypt(plaintext);
		ObjectNode envelope = this.json.createObjectNode();
		envelope.put("encrypt", encrypt);
		envelope.put("msgsignature", this.crypto.signature(Long.toString(seconds), nonce, encrypt));
		envelope.put("timestamp", seconds);
		envelope.put("nonce", nonce);
		return write(envelope);
	}

	private static long seconds(String timestamp) {
		if (timestamp == null || timestamp.isEmpty() || timestamp.length() > 18
				|| !timestamp.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new IllegalArgumentException("timestamp must be seconds as decimal digits");
		}
		return Long.parseLong(timestamp);
	}

	private static WeComBotCallback callback(JsonNode message) {
		String msgType = text(message, "msgtype");
		if (msgType == null) {
			throw malformed("WeCom bot message has no msgtype");
		}
		String streamId = null;
		if ("stream".equals(msgType)) {
			streamId = text(message.path("stream"), "id");
			if (streamId == null) {
				throw malformed("WeCom bot stream refresh has no stream.id");
			}
		}
		return new WeComBotCallback(text(message, "msgid"), text(message, "aibotid"), text(message, "chatid"),
				text(message, "chattype"), text(message.path("from"), "userid"), msgType, userText(message, msgType),
				streamId, text(message, "response_url"));
	}

	/**
	 * What the user wrote; images and files are ignored.
	 */
	private static String userText(JsonNode message, String msgType) {
		return switch (msgType) {
			case "text" -> text(message.path("text"), "content");
			case "voice" -> text(message.path("voice"), "content");
			case "mixed" -> mixedText(message.path("mixed").path("msg_item"));
			default -> null;
		};
	}

	private static String mixedText(JsonNode items) {
		List<String> texts = new ArrayList<>();
		for (JsonNode item : items) {
			if ("text".equals(text(item, "msgtype"))) {
				String content = text(item.path("text"), "content");
				if (content != null) {
					texts.add(content);
				}
			}
		}
		return texts.isEmpty() ? null : String.join("\n", texts);
	}

	/**
	 * A scalar field as text, {@code null} when absent, null or not a scalar.
	 */
	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isValueNode() && !value.isNull()) ? value.asText() : null;
	}

	private JsonNode object(byte[] body, String what) {
		try {
			return requireObject(this.json.readTree(body), what);
		}
		catch (IOException ex) {
			// No cause: parser messages quote the input.
			throw malformed(what + " is not JSON");
		}
	}

	private JsonNode object(String plaintext, String what) {
		try {
			return requireObject(this.json.readTree(plaintext), what);
		}
		catch (JsonProcessingException ex) {
			throw malformed(what + " is not JSON");
		}
	}

	private static JsonNode requireObject(JsonNode node, String what) {
		if (node == null || !node.isObject()) {
			throw malformed(what + " is not a JSON object");
		}
		return node;
	}

	private String write(JsonNode node) {
		try {
			return this.json.writeValueAsString(node);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("A JSON tree could not be written", ex);
		}
	}

	private static CallbackRejectedException malformed(String message) {
		return new CallbackRejectedException(Reason.MALFORMED, message);
	}

}
