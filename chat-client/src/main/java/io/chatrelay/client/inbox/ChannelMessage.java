package io.chatrelay.client.inbox;

import java.util.Map;
import java.util.Objects;

/**
 * A verified user message from a chat platform, with everything needed to answer it later
 * on any node: flat strings only, so that it can be queued as it is.
 *
 * @param channel the channel ({@code wecom}, {@code wecom-bot}, {@code dingtalk},
 * {@code feishu})
 * @param messageId the platform's id for this message, the dedupe key
 * @param conversationId the conversation within the tenant: the user in 1:1 chats, the
 * group and the user in group chats
 * @param userId the platform's user id
 * @param text what the user wrote, mentions removed
 * @param replyTo where the answer goes, in the platform's own terms (a user, a group, a
 * message to reply to, a session webhook); read only by the channel's reply sender
 * @param receivedAtMillis when this node accepted the message
 */
public record ChannelMessage(String channel, String messageId, String conversationId, String userId, String text,
		Map<String, String> replyTo, long receivedAtMillis) {

	/**
	 * Validate and copy.
	 * @param channel channel
	 * @param messageId message id
	 * @param conversationId conversation
	 * @param userId user
	 * @param text text
	 * @param replyTo reply address
	 * @param receivedAtMillis acceptance time
	 */
	public ChannelMessage {
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(messageId, "messageId");
		Objects.requireNonNull(conversationId, "conversationId");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(text, "text");
		replyTo = Map.copyOf(Objects.requireNonNull(replyTo, "replyTo"));
	}

	/**
	 * One part of the reply address.
	 * @param key the part's name
	 * @return its value, or {@code null}
	 */
	public String replyTo(String key) {
		return this.replyTo.get(key);
	}

	@Override
	public String toString() {
		// Never the text or the reply address (session webhooks are credentials).
		return "ChannelMessage[channel=" + this.channel + ", messageId=" + this.messageId + ", conversationId="
				+ this.conversationId + ", chars=" + this.text.length() + "]";
	}

}
