package io.chatrelay.client.channel.feishu;

import java.util.Objects;

/**
 * A Feishu/Lark callback after decryption and token check, as read by
 * {@link FeishuEvents#read}: a URL verification to answer, a text message for the bot, or
 * an event the relay does not handle (answer 200 so Feishu stops retrying).
 */
sealed interface FeishuEvent permits FeishuEvent.UrlVerification, FeishuEvent.MessageReceived, FeishuEvent.Ignored {

	/**
	 * The {@code url_verification} request sent when the Request URL is saved. Answer
	 * HTTP 200 with plain JSON {@code {"challenge": challenge}} within 1 s, even when the
	 * request came encrypted.
	 *
	 * @param challenge the value to echo
	 */
	record UrlVerification(String challenge) implements FeishuEvent {

		/**
		 * Validate.
		 * @param challenge the value to echo
		 */
		public UrlVerification {
			Objects.requireNonNull(challenge, "challenge");
		}

	}

	/**
	 * A text message to the bot: schema 2.0 event {@code im.message.receive_v1} with
	 * {@code message_type} {@code text}.
	 *
	 * @param eventId {@code header.event_id}, the dedup key (Feishu retries for about 7.1
	 * h)
	 * @param appId {@code header.app_id}
	 * @param tenantKey {@code header.tenant_key}
	 * @param messageId {@code event.message.message_id}, the target of a reply
	 * @param chatId {@code event.message.chat_id}
	 * @param chatType {@code p2p} or {@code group}
	 * @param senderOpenId the sender's {@code open_id}
	 * @param senderUserId the sender's {@code user_id}; {@code null} unless the app may
	 * read user ids
	 * @param text the message text without {@code @_user_N} mention placeholders, trimmed
	 * @param mentionsSomeone whether the message @-mentions anyone (the bot included)
	 * @param createTimeMillis when the message was sent, epoch milliseconds
	 */
	record MessageReceived(String eventId, String appId, String tenantKey, String messageId, String chatId,
			String chatType, String senderOpenId, String senderUserId, String text, boolean mentionsSomeone,
			long createTimeMillis) implements FeishuEvent {

		/**
		 * Validate.
		 * @param eventId the dedup key
		 * @param appId the app
		 * @param tenantKey the tenant
		 * @param messageId the message
		 * @param chatId the chat
		 * @param chatType {@code p2p} or {@code group}
		 * @param senderOpenId the sender
		 * @param senderUserId the sender's user id, may be {@code null}
		 * @param text the text
		 * @param mentionsSomeone whether anyone is mentioned
		 * @param createTimeMillis when it was sent
		 */
		public MessageReceived {
			Objects.requireNonNull(eventId, "eventId");
			Objects.requireNonNull(messageId, "messageId");
			Objects.requireNonNull(chatId, "chatId");
			Objects.requireNonNull(chatType, "chatType");
			Objects.requireNonNull(senderOpenId, "senderOpenId");
			Objects.requireNonNull(text, "text");
		}

		/**
		 * Whether the message was sent in a group chat rather than to the bot alone.
		 * @return {@code true} for {@code chat_type} {@code group}
		 */
		public boolean isGroup() {
			return "group".equals(this.chatType);
		}

		/**
		 * Identifies the message without its text, which is logged only at DEBUG.
		 * @return a description safe for INFO logs
		 */
		@Override
		public String toString() {
			return "MessageReceived[eventId=" + this.eventId + ", appId=" + this.appId + ", messageId=" + this.messageId
					+ ", chatId=" + this.chatId + ", chatType=" + this.chatType + ", senderOpenId=" + this.senderOpenId
					+ ", text=(" + this.text.length() + " chars), mentionsSomeone=" + this.mentionsSomeone
					+ ", createTimeMillis=" + this.createTimeMillis + "]";
		}

	}

	/**
	 * An authentic callback the relay does not handle: another event type, or a message
	 * that is not text.
	 *
	 * @param eventId {@code header.event_id}
	 * @param eventType {@code header.event_type}, may be {@code null}
	 * @param why what is not handled, safe to log
	 */
	record Ignored(String eventId, String eventType, String why) implements FeishuEvent {

		/**
		 * Validate.
		 * @param eventId the event
		 * @param eventType its type
		 * @param why the reason
		 */
		public Ignored {
			Objects.requireNonNull(eventId, "eventId");
			Objects.requireNonNull(why, "why");
		}

	}

}
