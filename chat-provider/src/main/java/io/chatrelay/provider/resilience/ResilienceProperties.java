package io.chatrelay.provider.resilience;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The shape of the retry backoff shared by every vendor
 * ({@code chat.provider.resilience.*}). How many attempts, and the breaker, rate limiter
 * and bulkhead, are set per vendor under {@code resilience4j.*.instances.<vendor>}.
 *
 * @param initialBackoff the wait before the second attempt
 * @param backoffMultiplier growth per attempt
 * @param jitter randomisation of each wait, in [0, 1)
 * @param maxBackoff the longest computed wait
 * @param maxRetryAfter the longest vendor Retry-After that is waited for
 */
@Validated
@ConfigurationProperties("chat.provider.resilience")
public record ResilienceProperties(@NotNull @DefaultValue("500ms") Duration initialBackoff,
		@DefaultValue("2.0") double backoffMultiplier, @DefaultValue("0.5") double jitter,
		@NotNull @DefaultValue("8s") Duration maxBackoff, @NotNull @DefaultValue("10s") Duration maxRetryAfter) {

	/**
	 * The backoff function.
	 * @return a new backoff
	 */
	public RetryBackoff backoff() {
		return new RetryBackoff(this.initialBackoff.toMillis(), this.backoffMultiplier, this.jitter,
				this.maxBackoff.toMillis(), this.maxRetryAfter.toMillis());
	}

}
