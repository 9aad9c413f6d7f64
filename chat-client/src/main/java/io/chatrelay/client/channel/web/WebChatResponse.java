package io.chatrelay.client.channel.web;

import io.chatrelay.api.ChatReply;
import io.chatrelay.api.TokenUsage;

/**
 * The answer of {@code POST /api/v1/chat}, and the data of the final SSE event of
 * {@code /api/v1/chat/stream} (where {@code reply} holds the whole text).
 *
 * @param conversationId the conversation, as sent
 * @param reply the answer text
 * @param model the model that answered
 * @param vendor the vendor that answered
 * @param degraded whether anything but the primary vendor answered
 * @param route {@code primary}, {@code fallback} or {@code degraded}
 * @param finishReason why the model stopped
 * @param usage tokens billed
 * @param latencyMs time the provider spent
 */
record WebChatResponse(String conversationId, String reply, String model, String vendor, boolean degraded, String route,
		String finishReason, TokenUsage usage, long latencyMs) {

	static WebChatResponse of(String conversationId, ChatReply reply) {
		return new WebChatResponse(conversationId, reply.text(), reply.model(), reply.vendor(), reply.degraded(),
				reply.route().name().toLowerCase(java.util.Locale.ROOT), reply.finishReason(), reply.usage(),
				reply.latencyMillis());
	}

}
