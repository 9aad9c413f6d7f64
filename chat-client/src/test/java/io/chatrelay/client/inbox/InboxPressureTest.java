package io.chatrelay.client.inbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InboxPressureTest {

	private static final Duration MAX = Duration.ofSeconds(5);

	private final InboxPressure pressure = new InboxPressure(MAX, false);

	@Test
	void isOverloadedWhenEvenTheShortestSojournOfAnIntervalExceedsTheMax() {
		this.pressure.started(6_000);
		this.pressure.started(5_001);
		this.pressure.started(7_500);
		this.pressure.decide();

		assertThat(this.pressure.overloaded()).isTrue();
		assertThat(this.pressure.queueDelayMillis()).isEqualTo(5_001);
	}

	@Test
	void oneMessageThatStartedWithinTheMaxIsEnough() {
		this.pressure.started(9_000);
		this.pressure.started(4_999);
		this.pressure.decide();

		assertThat(this.pressure.overloaded()).isFalse();
		assertThat(this.pressure.queueDelayMillis()).isEqualTo(4_999);
	}

	@Test
	void eachIntervalIsJudgedOnItsOwnAndAnIntervalWithoutStartsIsNotOverloaded() {
		this.pressure.started(8_000);
		this.pressure.decide();
		assertThat(this.pressure.overloaded()).isTrue();

		this.pressure.decide();

		assertThat(this.pressure.overloaded()).as("nothing started: stalled, not overloaded").isFalse();
		assertThat(this.pressure.queueDelayMillis()).isZero();
	}

	@Test
	void theRule() {
		assertThat(InboxPressure.decide(5_001, MAX)).isTrue();
		assertThat(InboxPressure.decide(5_000, MAX)).isFalse();
		assertThat(InboxPressure.decide(Long.MAX_VALUE, MAX)).as("nothing started").isFalse();
		assertThat(InboxPressure.decide(60_000, Duration.ZERO)).as("0: never").isFalse();
	}

	@Test
	void overTheLimitTheShareLetsInWhatTheNodeStartedAndLessTheFurtherOver() {
		assertThat(InboxPressure.nextShare(0, 5_001, MAX, 350, 525)).as("just over: what it started")
			.isCloseTo(1 - 350.0 / 525, within(0.001));
		assertThat(InboxPressure.nextShare(0, 7_500, MAX, 350, 525)).as("a quarter less, to drain")
			.isCloseTo(1 - 350 * 0.75 / 525, within(0.001));
		assertThat(InboxPressure.nextShare(0, 12_000, MAX, 350, 525)).as("further over: half of what it started")
			.isCloseTo(1 - 175.0 / 525, within(0.001));
		assertThat(InboxPressure.nextShare(0, 15_001, MAX, 350, 525)).as("past three times the limit: all")
			.isEqualTo(1.0);
		assertThat(InboxPressure.nextShare(0.2, 6_000, MAX, 350, 300)).as("it started more than arrived").isZero();
		assertThat(InboxPressure.nextShare(0, 6_000, MAX, 0, 525)).as("nothing fresh started: all").isEqualTo(1.0);
		assertThat(InboxPressure.nextShare(0.4, 6_000, MAX, 350, 0)).as("nothing offered: as it was").isEqualTo(0.4);
	}

	@Test
	void theRefusedShareFallsEachIntervalUnderAndFasterWellUnder() {
		assertThat(InboxPressure.nextShare(1, 4_000, MAX, 350, 525)).isCloseTo(0.9, within(0.001));
		assertThat(InboxPressure.nextShare(1, 2_000, MAX, 350, 525)).as("under half the delay: halved").isEqualTo(0.5);
		assertThat(InboxPressure.nextShare(0.12, 4_000, MAX, 350, 525)).as("what is left of it is dropped").isZero();
		assertThat(InboxPressure.nextShare(0.8, Long.MAX_VALUE, MAX, 0, 525)).as("nothing started").isZero();
		assertThat(InboxPressure.nextShare(0.8, 60_000, Duration.ZERO, 350, 525)).as("0: never").isZero();
	}

	@Test
	void callbacksAreRefusedInTheShareDecidedFromWhatArrivedAndStarted() {
		this.pressure.started(5_500);
		for (int i = 0; i < 299; i++) {
			this.pressure.started(6_000);
		}
		for (int i = 0; i < 400; i++) {
			assertThat(this.pressure.refuse()).as("under the limit so far").isFalse();
		}
		this.pressure.decide();
		assertThat(this.pressure.refusedShare()).as("300 started, 400 arrived, 10 %% over")
			.isCloseTo(1 - 300 * 0.95 / 400, within(0.001));

		int refused = 0;
		for (int i = 0; i < 10_000; i++) {
			refused += this.pressure.refuse() ? 1 : 0;
		}

		assertThat(refused).isBetween(2_500, 3_200);
		this.pressure.decide();
		assertThat(this.pressure.refuse()).as("nothing started: taking everything").isFalse();
	}

	@Test
	void theRetryHintIsTheMaxAtLeastASecond() {
		assertThat(this.pressure.retryAfter()).isEqualTo(MAX);
		assertThat(new InboxPressure(Duration.ofMillis(200), false).retryAfter()).isEqualTo(Duration.ofSeconds(1));
	}

}
