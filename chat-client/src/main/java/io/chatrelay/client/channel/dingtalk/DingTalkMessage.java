package io.chatrelay.client.channel.dingtalk;

import java.io.IOException;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

/**
 * A message to a DingTalk enterprise robot, read from the JSON body of an HTTP-mode
 * callback (protocols B.1; Stream mode carries the same JSON in {@code data}). Verify the
 * headers with {@link DingTalkSignature} before parsing. Fields other than {@code msgId}
 * are {@code null} (or 0, {@code false}) when absent.
 *
 * @param msgId the message id, the dedup key
 * @param conversationId the conversation (single chat or group)
 * @param conversationType {@code "1"} single chat, {@code "2"} group
 * @param senderId the sender's DingTalk id (always present)
 * @param senderStaffId the sender's staff id in the robot's organisation, empty for
 * external users
 * @param senderNick the sender's display name
 * @param chatbotUserId the robot's own id
 * @param robotCode the robot
 * @param msgType {@code text}, {@code richText}, {@code picture}, {@code audio},
 * {@code video} or {@code file}
 * @param text {@code text.content} stripped of surrounding whitespace; {@code null} when
 * not a text message
 * @param sessionWebhook the URL to reply to, a secret until it expires (never log it)
 * @param sessionWebhookExpiredTime when the session webhook expires, epoch milliseconds
 * @param createAt when the message was sent, epoch milliseconds
 * @param inAtList whether the robot was @-mentioned ({@code isInAtList})
 */
record DingTalkMessage(String msgId, String conversationId, String conversationType, String senderId,
		String senderStaffId, String senderNick, String chatbotUserId, String robotCode, String msgType, String text,
		String sessionWebhook, long sessionWebhookExpiredTime, long createAt, boolean inAtList) {

	/**
	 * Validate.
	 * @param msgId the message id
	 * @param conversationId the conversation
	 * @param conversationType {@code "1"} or {@code "2"}
	 * @param senderId the sender
	 * @param senderStaffId the sender's staff id
	 * @param senderNick the sender's name
	 * @param chatbotUserId the robot's id
	 * @param robotCode the robot
	 * @param msgType the message type
	 * @param text the text
	 * @param sessionWebhook the reply URL
	 * @param sessionWebhookExpiredTime its expiry
	 * @param createAt the send time
	 * @param inAtList whether the robot was mentioned
	 */
	public DingTalkMessage {
		Objects.requireNonNull(msgId, "msgId");
	}

	/**
	 * Read a callback body.
	 * @param body the request body
	 * @param json the JSON mapper
	 * @return the message
	 * @throws CallbackRejectedException {@link Reason#MALFORMED} when the body is not a
	 * JSON object, has no {@code msgId}, or is a text message without
	 * {@code text.content}, without a sender ({@code senderStaffId} or {@code senderId})
	 * or, in a group, without {@code conversationId}
	 */
	public static DingTalkMessage parse(byte[] body, ObjectMapper json) {
		JsonNode root = readObject(body, json);
		String msgId = text(root, "msgId");
		if (msgId == null || msgId.isEmpty()) {
			throw malformed("msgId is missing");
		}
		String msgType = text(root, "msgtype");
		String text = null;
		if ("text".equals(msgType)) {
			text = text(root.path("text"), "content");
			if (text == null) {
				throw malformed("text message has no text.content");
			}
			text = text.strip();
		}
		DingTalkMessage message = new DingTalkMessage(msgId, text(root, "conversationId"),
				text(root, "conversationType"), text(root, "senderId"), text(root, "senderStaffId"),
				text(root, "senderNick"), text(root, "chatbotUserId"), text(root, "robotCode"), msgType, text,
				text(root, "sessionWebhook"), root.path("sessionWebhookExpiredTime").asLong(0),
				root.path("createAt").asLong(0), root.path("isInAtList").asBoolean(false));
		// A text message is answered in its conversation, which is keyed by the sender
		// (and the group): without them it is malformed, not a server error (found by
		// DingTalkCallbackFuzzTest: a NullPointerException, answered 500, before).
		if (message.isText()) {
			if (isBlank(message.senderKey())) {
				throw malformed("text message has no senderStaffId or senderId");
			}
			if (message.isGroup() && isBlank(message.conversationId())) {
				throw malformed("group text message has no conversationId");
			}
		}
		return message;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	/**
	 * Whether the message was sent in a group.
	 * @return {@code true} for conversation type {@code "2"}
	 */
	public boolean isGroup() {
		return "2".equals(this.conversationType);
	}

	/**
	 * Whether this is a text message.
	 * @return {@code true} for {@code msgtype} {@code text}
	 */
	public boolean isText() {
		return "text".equals(this.msgType);
	}

	/**
	 * Who sent the message, stable across conversations: the staff id when there is one,
	 * otherwise (external users) the DingTalk sender id.
	 * @return the sender key, {@code null} only if the body had neither id
	 */
	public String senderKey() {
		return (this.senderStaffId != null && !this.senderStaffId.isEmpty()) ? this.senderStaffId : this.senderId;
	}

	/**
	 * Identifies the message without the session webhook (a credential) or the text
	 * (logged only at DEBUG).
	 * @return a description safe for INFO logs
	 */
	@Override
	public String toString() {
		return "DingTalkMessage[msgId=" + this.msgId + ", conversationId=" + this.conversationId + ", conversationType="
				+ this.conversationType + ", senderKey=" + senderKey() + ", robotCode=" + this.robotCode + ", msgType="
				+ this.msgType + ", text=" + ((this.text != null) ? "(" + this.text.length() + " chars)" : "null")
				+ ", sessionWebhook=***" + ", sessionWebhookExpiredTime=" + this.sessionWebhookExpiredTime
				+ ", createAt=" + this.createAt + ", inAtList=" + this.inAtList + "]";
	}

	private static JsonNode readObject(byte[] body, ObjectMapper json) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JsonProcessingException ex) {
			// The parser's message quotes the input: keep it out of the log.
			JsonLocation at = ex.getLocation();
			throw malformed("body is not JSON"
					+ ((at != null) ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : ""));
		}
		catch (IOException ex) {
			throw malformed("body is not JSON");
		}
		if (root == null || !root.isObject()) {
			throw malformed("body is not a JSON object");
		}
		return root;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isValueNode() && !value.isNull()) ? value.asText() : null;
	}

	private static CallbackRejectedException malformed(String what) {
		return new CallbackRejectedException(Reason.MALFORMED, "DingTalk " + what);
	}

}
