package io.chatrelay.client.channel.wecombot;

import java.util.Objects;

/**
 * A decrypted WeCom 智能机器人 callback (protocols A.3): a user message, a stream refresh or
 * an event. Fields the callback does not carry are {@code null}.
 *
 * @param msgId the message id, the deduplication key (may be redelivered)
 * @param aibotId the bot that was addressed
 * @param chatId the group chat id, present only for group chats
 * @param chatType {@code single} or {@code group}
 * @param userId the sender's UserID
 * @param msgType {@code text}, {@code mixed}, {@code voice}, {@code stream},
 * {@code event}, …
 * @param text what the user wrote: the text of {@code text} and {@code voice} messages,
 * the text items of {@code mixed} messages joined by a newline; {@code null} otherwise
 * @param streamId the stream a refresh callback ({@code msgtype=stream}) asks about
 * @param responseUrl the single-use URL for an active reply (valid 1 h)
 */
record WeComBotCallback(String msgId, String aibotId, String chatId, String chatType, String userId, String msgType,
		String text, String streamId, String responseUrl) {

	/**
	 * Validate the one field every callback carries.
	 */
	public WeComBotCallback {
		Objects.requireNonNull(msgType, "msgType");
	}

	/**
	 * Whether this callback asks for the latest content of a stream rather than bringing
	 * a new user message.
	 * @return {@code true} for {@code msgtype=stream}
	 */
	public boolean isStreamRefresh() {
		return "stream".equals(this.msgType);
	}

}
