package io.chatrelay.standalone.standin;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure a {@link VendorStandIn} vendor is told to produce.
 *
 * @param mode what goes wrong
 * @param delay for {@link FailureMode#SLOW}, the pause before the first byte; zero for
 * every other mode
 */
public record InjectedFailure(FailureMode mode, Duration delay) {

	/** No failure: answer normally. */
	public static final InjectedFailure NONE = new InjectedFailure(FailureMode.NONE, Duration.ZERO);

	/**
	 * Validates the values.
	 * @param mode what goes wrong
	 * @param delay the slow delay, or zero
	 */
	public InjectedFailure {
		Objects.requireNonNull(mode, "mode");
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("The slow delay must not be negative");
		}
		if (mode != FailureMode.SLOW && !delay.isZero()) {
			throw new IllegalArgumentException("Only the slow mode takes a delay, not " + mode.wireName());
		}
	}

	/**
	 * A failure without a delay.
	 * @param mode any mode but {@link FailureMode#SLOW}
	 * @return the failure
	 */
	public static InjectedFailure of(FailureMode mode) {
		return (mode == FailureMode.NONE) ? NONE : new InjectedFailure(mode, Duration.ZERO);
	}

	/**
	 * Answer normally after a pause.
	 * @param delay the pause before the first byte
	 * @return the failure
	 */
	public static InjectedFailure slow(Duration delay) {
		return new InjectedFailure(FailureMode.SLOW, delay);
	}

}
