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
	void theRefusedShareRisesWithEachIntervalOverAndFasterTheFurtherOver() {
		assertThat(InboxPressure.nextShare(0, 5_001, MAX)).isCloseTo(0.1, within(0.001));
		assertThat(InboxPressure.nextShare(0, 10_000, MAX)).isCloseTo(0.35, within(0.001));
		assertThat(InboxPressure.nextShare(0.35, 10_000, MAX)).isCloseTo(0.7, within(0.001));
		assertThat(InboxPressure.nextShare(0.9, 10_000, MAX)).isEqualTo(1.0);
		assertThat(InboxPressure.nextShare(0, 60_000, MAX)).as("far over: everything at once").isEqualTo(1.0);
	}

	@Test
	void theRefusedShareFallsEachIntervalUnderAndFasterWellUnder() {
		assertThat(InboxPressure.nextShare(1, 4_000, MAX)).isCloseTo(0.9, within(0.001));
		assertThat(InboxPressure.nextShare(1, 2_000, MAX)).as("under half the delay: halved").isEqualTo(0.5);
		assertThat(InboxPressure.nextShare(0.12, 4_000, MAX)).as("what is left of it is dropped").isZero();
		assertThat(InboxPressure.nextShare(0.8, Long.MAX_VALUE, MAX)).as("nothing started").isZero();
		assertThat(InboxPressure.nextShare(0.8, 60_000, Duration.ZERO)).as("0: never").isZero();
	}

	@Test
	void callbacksAreRefusedInTheShareDecided() {
		this.pressure.started(10_000);
		this.pressure.decide();
		assertThat(this.pressure.refusedShare()).isCloseTo(0.35, within(0.001));

		int refused = 0;
		for (int i = 0; i < 10_000; i++) {
			refused += this.pressure.refuse() ? 1 : 0;
		}

		assertThat(refused).isBetween(3_200, 3_800);
		this.pressure.decide();
		assertThat(this.pressure.refuse()).as("nothing started: taking everything").isFalse();
	}

	@Test
	void theRetryHintIsTheMaxAtLeastASecond() {
		assertThat(this.pressure.retryAfter()).isEqualTo(MAX);
		assertThat(new InboxPressure(Duration.ofMillis(200), false).retryAfter()).isEqualTo(Duration.ofSeconds(1));
	}

}
