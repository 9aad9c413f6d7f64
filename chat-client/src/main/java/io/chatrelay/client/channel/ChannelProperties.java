package io.chatrelay.client.channel;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by the platform channels ({@code chat.client.channel.*}); each platform
 * has its own credentials under {@code chat.client.channel.<platform>}.
 *
 * @param maxBodyBytes callbacks with a larger body are rejected with 413
 * @param sendAttempts attempts at delivering a reply the platform refused with a
 * retriable error
 * @param sendBackoff the wait before the second delivery attempt (doubled each time)
 * @param apiTimeout timeout of each call to a platform's API
 */
@Validated
@ConfigurationProperties("chat.client.channel")
public record ChannelProperties(@Min(1024) @DefaultValue("1048576") int maxBodyBytes,
		@Min(1) @Max(10) @DefaultValue("3") int sendAttempts, @NotNull @DefaultValue("1s") Duration sendBackoff,
		@NotNull @DefaultValue("10s") Duration apiTimeout) {

}
