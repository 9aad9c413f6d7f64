package io.chatrelay.api;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One question to the model, with the conversation so far.
 *
 * @param requestId unique per user message; the same id means the same question
 * (idempotency)
 * @param tenantId the company the conversation belongs to
 * @param conversationId the conversation within the tenant
 * @param messages system prompt, earlier turns and the new user message, oldest first
 * @param options model options
 * @param attributes free-form facts such as {@code channel} and {@code userId}
 */
public record ChatRequest(String requestId, String tenantId, String conversationId, List<ChatMessage> messages,
		ChatOptions options, Map<String, String> attributes) implements Serializable {

	/**
	 * Attribute key: the channel the message came from ({@code web}, {@code wecom}, ...).
	 */
	public static final String ATTR_CHANNEL = "channel";

	/** Attribute key: the platform's user id. */
	public static final String ATTR_USER_ID = "userId";

	/**
	 * Validate and copy the components.
	 * @param requestId request id
	 * @param tenantId tenant id
	 * @param conversationId conversation id
	 * @param messages the messages, at least one
	 * @param options model options, {@code null} for defaults
	 * @param attributes attributes, {@code null} for none
	 */
	public ChatRequest {
		Objects.requireNonNull(requestId, "requestId");
		Objects.requireNonNull(tenantId, "tenantId");
		Objects.requireNonNull(conversationId, "conversationId");
		messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
		if (messages.isEmpty()) {
			throw new IllegalArgumentException("messages must not be empty");
		}
		options = Objects.requireNonNullElse(options, ChatOptions.DEFAULTS);
		attributes = (attributes != null) ? Map.copyOf(attributes) : Map.of();
	}

}
