package io.chatrelay.provider.resilience;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.github.resilience4j.core.functions.Either;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryBackoffTest {

	private final RetryBackoff backoff = new RetryBackoff(100, 2.0, 0.5, 1000, 5000);

	@RepeatedTest(20)
	void growsExponentiallyWithinTheJitterBand() {
		assertThat(this.backoff.apply(1, Either.left(new RuntimeException()))).isBetween(50L, 151L);
		assertThat(this.backoff.apply(2, Either.left(new RuntimeException()))).isBetween(100L, 301L);
		assertThat(this.backoff.apply(3, Either.left(new RuntimeException()))).isBetween(200L, 601L);
		assertThat(this.backoff.apply(10, Either.left(new RuntimeException()))).isBetween(500L, 1501L);
	}

	@Test
	void neverWaitsLessThanTheVendorsRetryAfter() {
		ChatException limited = new ChatException(ChatErrorCode.RATE_LIMITED, "slow down", 2000);

		assertThat(this.backoff.apply(1, Either.left(limited))).isEqualTo(2000L);
	}

	@Test
	void capsAnUnreasonableRetryAfter() {
		ChatException limited = new ChatException(ChatErrorCode.RATE_LIMITED, "slow down", 600_000);

		assertThat(this.backoff.apply(1, Either.left(limited))).isEqualTo(5000L);
	}

	@Test
	void rejectsNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryBackoff(0, 2, 0.5, 10, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryBackoff(10, 0.5, 0.5, 10, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryBackoff(10, 2, 1.0, 10, 10));
	}

}
