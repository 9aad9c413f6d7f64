package io.chatrelay.client.inbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InboxPressureTest {

	private static final Duration MAX = Duration.ofSeconds(5);

	@Test
	void refusesOnlyWhileTheNodesReadAndTheOldestUnreadWaitedLongerThanTheMax() {
		assertThat(InboxPressure.decide(5_001, MAX, true)).isTrue();
		assertThat(InboxPressure.decide(5_000, MAX, true)).isFalse();
		assertThat(InboxPressure.decide(60_000, MAX, false)).as("stalled, not overloaded").isFalse();
		assertThat(InboxPressure.decide(0, MAX, true)).isFalse();
	}

	@Test
	void aZeroMaxNeverRefuses() {
		assertThat(InboxPressure.decide(Long.MAX_VALUE, Duration.ZERO, true)).isFalse();
	}

}
