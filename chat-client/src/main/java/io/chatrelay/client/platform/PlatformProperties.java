package io.chatrelay.client.platform;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the client talks to the platforms' APIs ({@code chat.client.channel.*}, next to the
 * callback settings of {@code intake}).
 *
 * @param sendAttempts attempts at delivering a reply the platform refused with a
 * retriable error
 * @param sendBackoff the wait before the second delivery attempt (doubled each time)
 * @param apiTimeout timeout of each call to a platform's API
 */
@Validated
@ConfigurationProperties("chat.client.channel")
public record PlatformProperties(@Min(1) @Max(10) @DefaultValue("3") int sendAttempts,
		@NotNull @DefaultValue("1s") Duration sendBackoff, @NotNull @DefaultValue("10s") Duration apiTimeout) {

}
