package io.chatrelay.client.conversation;

import java.util.Objects;

import io.chatrelay.client.quota.KeyLimits;

/**
 * A user's message as every channel hands it over: platform-neutral and already verified.
 *
 * @param requestId unique per message (the platform's message id where there is one)
 * @param channel the channel name ({@code web}, {@code wecom}, ...)
 * @param conversationId the conversation the message belongs to within the tenant
 * @param userId the platform's user id
 * @param text what the user wrote
 * @param keyLimits the own limits of the API key it came with, or {@code null}
 */
public record Inquiry(String requestId, String channel, String conversationId, String userId, String text,
		KeyLimits keyLimits) {

	/**
	 * Validate.
	 * @param requestId request id
	 * @param channel channel
	 * @param conversationId conversation
	 * @param userId user
	 * @param text text
	 * @param keyLimits the own limits of the API key the message came with, or
	 * {@code null}
	 */
	public Inquiry {
		Objects.requireNonNull(requestId, "requestId");
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(conversationId, "conversationId");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(text, "text");
	}

	/**
	 * A message that came without an API key.
	 * @param requestId request id
	 * @param channel channel
	 * @param conversationId conversation
	 * @param userId user
	 * @param text text
	 */
	public Inquiry(String requestId, String channel, String conversationId, String userId, String text) {
		this(requestId, channel, conversationId, userId, text, null);
	}

}
