package io.chatrelay.client.channel.web;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The web channel ({@code chat.client.web.*}).
 *
 * @param maxBodyBytes requests with a larger body are rejected with 413
 * @param maxMessageChars longest accepted message
 */
@Validated
@ConfigurationProperties("chat.client.web")
public record WebProperties(@Min(1024) @DefaultValue("65536") int maxBodyBytes,
		@Min(1) @DefaultValue("16000") int maxMessageChars) {
}
