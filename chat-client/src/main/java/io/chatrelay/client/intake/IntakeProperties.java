package io.chatrelay.client.intake;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What every platform callback is held to ({@code chat.client.channel.*}); each platform
 * has its own credentials under {@code chat.client.channel.<platform>}.
 *
 * @param maxBodyBytes callbacks with a larger body are rejected with 413
 */
@Validated
@ConfigurationProperties("chat.client.channel")
public record IntakeProperties(@Min(1024) @DefaultValue("1048576") int maxBodyBytes) {
}
