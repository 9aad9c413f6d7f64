package io.chatrelay.provider.resilience;

import java.util.concurrent.ThreadLocalRandom;

import io.chatrelay.api.ChatException;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;

/**
 * Exponential backoff with jitter that honours the vendor's Retry-After: the wait before
 * attempt {@code n + 1} is {@code initial × multiplier^(n-1)}, randomised by
 * ±{@code jitter}, capped at {@code max}, and never shorter than what the vendor asked
 * for (itself capped at {@code maxRetryAfter}, beyond which waiting is pointless and the
 * router should move on).
 *
 * @param initialMillis the first wait
 * @param multiplier growth per attempt
 * @param jitter randomisation factor in [0, 1)
 * @param maxMillis the longest computed wait
 * @param maxRetryAfterMillis the longest Retry-After honoured
 */
public record RetryBackoff(long initialMillis, double multiplier, double jitter, long maxMillis,
		long maxRetryAfterMillis) implements IntervalBiFunction<Object> {

	/**
	 * Validate.
	 * @param initialMillis first wait
	 * @param multiplier growth
	 * @param jitter randomisation
	 * @param maxMillis cap
	 * @param maxRetryAfterMillis Retry-After cap
	 */
	public RetryBackoff {
		if (initialMillis < 1 || multiplier < 1 || jitter < 0 || jitter >= 1 || maxMillis < initialMillis) {
			throw new IllegalArgumentException("invalid backoff " + initialMillis + "ms x" + multiplier + " ±" + jitter
					+ " max " + maxMillis + "ms");
		}
	}

	@Override
	public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
		double base = Math.min(this.maxMillis,
				this.initialMillis * Math.pow(this.multiplier, Math.max(0, attempt - 1)));
		double delta = base * this.jitter;
		long wait = (long) (base - delta + ThreadLocalRandom.current().nextDouble() * (2 * delta + 1));
		if (outcome != null && outcome.isLeft() && Failures.unwrap(outcome.getLeft()) instanceof ChatException chat
				&& chat.retryAfterMillis() > 0) {
			wait = Math.max(wait, Math.min(chat.retryAfterMillis(), this.maxRetryAfterMillis));
		}
		return Math.max(1, wait);
	}

}
