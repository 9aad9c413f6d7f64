package io.chatrelay.standalone.standin;

import java.time.Duration;
import java.util.Objects;

/**
 * How an LLM stand-in paces its answers.
 *
 * @param tokenDelay pause before each streamed token
 * @param firstByteLatency pause before the response starts (status line included)
 */
record StandInSettings(Duration tokenDelay, Duration firstByteLatency) {

	static final StandInSettings IMMEDIATE = new StandInSettings(Duration.ZERO, Duration.ZERO);

	StandInSettings {
		Objects.requireNonNull(tokenDelay, "tokenDelay");
		Objects.requireNonNull(firstByteLatency, "firstByteLatency");
		if (tokenDelay.isNegative() || firstByteLatency.isNegative()) {
			throw new IllegalArgumentException("Stand-in delays must not be negative");
		}
	}

}
