package io.chatrelay.client.conversation;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Conversation context rules ({@code chat.client.conversation.*}).
 *
 * @param ttl idle time after which a conversation's context is forgotten (sliding)
 * @param maxTurns how many earlier question/answer turns are sent as context
 * @param systemPrompt prepended to every request when not blank
 */
@Validated
@ConfigurationProperties("chat.client.conversation")
public record ConversationProperties(@NotNull @DefaultValue("30m") Duration ttl,
		@Min(0) @Max(200) @DefaultValue("20") int maxTurns, @DefaultValue("") String systemPrompt) {
}
