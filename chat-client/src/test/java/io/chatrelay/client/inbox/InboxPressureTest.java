package io.chatrelay.client.inbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
	void theRetryHintIsTheMaxAtLeastASecond() {
		assertThat(this.pressure.retryAfter()).isEqualTo(MAX);
		assertThat(new InboxPressure(Duration.ofMillis(200), false).retryAfter()).isEqualTo(Duration.ofSeconds(1));
	}

}
