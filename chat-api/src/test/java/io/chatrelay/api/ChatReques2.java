package io.chatrelay.api;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A "next version" of {@link ChatRequest} as a newer client would send it, with one added
 * optional component. Same name length as {@code ChatRequest}.
 */
record ChatReques2(String requestId, String tenantId, String conversationId, List<ChatMessage> messages,
		ChatOptions options, Map<String, String> attributes, String locale) implements Serializable {
}
