package io.chatrelay.client.channel.wecom;

import java.util.Objects;

/**
 * A decrypted WeCom self-built app callback (protocols A.1): a message or an event.
 *
 * @param toUserName the CorpID
 * @param fromUserName the member's UserID
 * @param createTime seconds since the epoch, as sent
 * @param msgType {@code text}, {@code image}, {@code event}, …
 * @param content the text of a {@code text} message, otherwise {@code null}
 * @param msgId the message id, {@code null} for events
 * @param agentId the app's AgentID, {@code null} if absent
 * @param event the event type for {@code msgType=event}, otherwise {@code null}
 * @param chatId the group chat id when the callback carries one, otherwise {@code null}
 */
record WeComMessage(String toUserName, String fromUserName, long createTime, String msgType, String content,
		String msgId, String agentId, String event, String chatId) {

	/**
	 * Validate the fields every callback carries.
	 */
	public WeComMessage {
		Objects.requireNonNull(toUserName, "toUserName");
		Objects.requireNonNull(fromUserName, "fromUserName");
		Objects.requireNonNull(msgType, "msgType");
	}

	/**
	 * Whether this is a text message, the only kind the relay answers.
	 * @return {@code true} for {@code MsgType=text}
	 */
	public boolean isText() {
		return "text".equals(this.msgType);
	}

	/**
	 * The key under which redeliveries of this callback collapse: {@code MsgId}, or for
	 * events (which have none) {@code FromUserName:CreateTime} (protocols A.2).
	 * @return the deduplication key
	 */
	public String dedupeKey() {
		if (this.msgId != null && !this.msgId.isEmpty()) {
			return this.msgId;
		}
		return this.fromUserName + ":" + this.createTime;
	}

}
