package io.chatrelay.loadtest.report;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.chatrelay.loadtest.traffic.ArrivalSchedule;

/**
 * Issue 14's burst run and the bar it is held to: the node's capacity {@code N}, offered
 * at {@value #BURST_SHARE} × N for the burst and at {@value #CALM_SHARE} × N for the calm
 * after it; during the burst at least {@value #THROUGHPUT_SHARE} × N answered per second,
 * nothing lost, and the overhead p99 of every time window from some point on under the
 * limit, that point no later than {@code recoverWithin} after the burst.
 *
 * @param capacity the node's capacity N, messages per second, above 0
 * @param burst how long the burst lasts
 * @param calm how long the calm after it lasts
 * @param window the length of one time window of the report
 * @param overheadP99Ms a window whose overhead p99 is below this has recovered
 * @param recoverWithin the longest recovery that passes
 */
public record BurstCriteria(double capacity, Duration burst, Duration calm, Duration window, double overheadP99Ms,
		Duration recoverWithin) {

	/**
	 * The capacity assumed without {@code --capacity}: S2's highest passing rate on main.
	 */
	public static final double DEFAULT_CAPACITY = 400;

	/** The burst's rate as a share of the capacity. */
	public static final double BURST_SHARE = 1.5;

	/** The calm's rate as a share of the capacity. */
	public static final double CALM_SHARE = 0.5;

	/** The answers per second the burst must keep, as a share of the capacity. */
	public static final double THROUGHPUT_SHARE = 0.9;

	/** The burst's length without {@code --burst}. */
	public static final Duration DEFAULT_BURST = Duration.ofSeconds(30);

	/** The calm's length without {@code --calm}. */
	public static final Duration DEFAULT_CALM = Duration.ofSeconds(60);

	/** The time window without {@code --window}. */
	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);

	/** The recovered overhead p99 without {@code --recovery-p99}, in milliseconds. */
	public static final double DEFAULT_OVERHEAD_P99_MS = 50;

	/** The longest recovery that passes without {@code --recover-within}. */
	public static final Duration DEFAULT_RECOVER_WITHIN = Duration.ofSeconds(15);

	public BurstCriteria {
		Objects.requireNonNull(burst, "burst");
		Objects.requireNonNull(calm, "calm");
		Objects.requireNonNull(window, "window");
		Objects.requireNonNull(recoverWithin, "recoverWithin");
		if (!(capacity > 0) || !(overheadP99Ms > 0)) {
			throw new IllegalArgumentException("The capacity and the overhead limit must be above 0");
		}
		if (!positive(burst) || !positive(calm) || !positive(window) || recoverWithin.isNegative()) {
			throw new IllegalArgumentException(
					"The burst, the calm and the window must last, the recovery limit " + "must not be negative");
		}
	}

	/**
	 * The run for a capacity: 30 s burst, 60 s calm, 5 s windows, 50 ms, 15 s.
	 * @param capacity the node's capacity N, messages per second
	 * @return the criteria
	 */
	public static BurstCriteria of(double capacity) {
		return new BurstCriteria(capacity, DEFAULT_BURST, DEFAULT_CALM, DEFAULT_WINDOW, DEFAULT_OVERHEAD_P99_MS,
				DEFAULT_RECOVER_WITHIN);
	}

	/**
	 * The burst's rate.
	 * @return {@value #BURST_SHARE} × N messages per second
	 */
	public double burstRate() {
		return BURST_SHARE * this.capacity;
	}

	/**
	 * The calm's rate.
	 * @return {@value #CALM_SHARE} × N messages per second
	 */
	public double calmRate() {
		return CALM_SHARE * this.capacity;
	}

	/**
	 * The answers per second the burst must keep.
	 * @return {@value #THROUGHPUT_SHARE} × N
	 */
	public double throughputBar() {
		return THROUGHPUT_SHARE * this.capacity;
	}

	/**
	 * When each message is due: the burst's step, then the calm's.
	 * @return a two-step schedule
	 */
	public ArrivalSchedule schedule() {
		return new ArrivalSchedule(List.of(new ArrivalSchedule.Step(burstRate(), this.burst),
				new ArrivalSchedule.Step(calmRate(), this.calm)));
	}

	private static boolean positive(Duration duration) {
		return !duration.isZero() && !duration.isNegative();
	}

}
