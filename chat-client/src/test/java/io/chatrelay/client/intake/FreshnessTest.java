package io.chatrelay.client.intake;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FreshnessTest {

	private static final long NOW_MILLIS = 1_700_000_000_123L;

	private static final Duration WINDOW = Duration.ofHours(1);

	@Test
	void acceptsTimestampsUpToTheWindowEitherWay() {
		assertThatNoException().isThrownBy(() -> Freshness.checkSeconds("1700000000", NOW_MILLIS, WINDOW));
		assertThatNoException().isThrownBy(() -> Freshness.checkSeconds("1699996400", NOW_MILLIS, WINDOW));
		assertThatNoException().isThrownBy(() -> Freshness.checkSeconds("1700003600", NOW_MILLIS, WINDOW));
	}

	@Test
	void rejectsTimestampsOutsideTheWindowAsStale() {
		assertThatThrownBy(() -> Freshness.checkSeconds("1699996399", NOW_MILLIS, WINDOW)).isInstanceOfSatisfying(
				CallbackRejectedException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(CallbackRejectedException.Reason.STALE));
		assertThatThrownBy(() -> Freshness.checkSeconds("1700003601", NOW_MILLIS, WINDOW)).isInstanceOfSatisfying(
				CallbackRejectedException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(CallbackRejectedException.Reason.STALE));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-1700000000", "17e8", " 1700000000", "1700000000.5", "99999999999999999999" })
	void rejectsWhatIsNotAPlainNumberAsUnsigned(String timestamp) {
		assertThatThrownBy(() -> Freshness.checkSeconds(timestamp, NOW_MILLIS, WINDOW)).isInstanceOfSatisfying(
				CallbackRejectedException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(CallbackRejectedException.Reason.SIGNATURE));
	}

	@Test
	void rejectsAMissingTimestamp() {
		assertThatThrownBy(() -> Freshness.checkSeconds(null, NOW_MILLIS, WINDOW))
			.isInstanceOf(CallbackRejectedException.class);
	}

}
