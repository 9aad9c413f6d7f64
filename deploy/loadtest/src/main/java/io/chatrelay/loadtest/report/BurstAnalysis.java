package io.chatrelay.loadtest.report;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

import io.chatrelay.loadtest.measure.Outcome;

/**
 * Measures a burst run against issue 14's bar: the answers per second while the burst
 * lasted, what was lost, and when the overhead recovered after it ({@link TimeWindows},
 * {@link Recovery}).
 */
public final class BurstAnalysis {

	private BurstAnalysis() {
	}

	/**
	 * Analyse a burst run.
	 * @param criteria the run's shape and bar
	 * @param outcomes every message of the run
	 * @param startNanos the run's start ({@link System#nanoTime()}): the burst's start
	 * @param serviceNanos the LLM stand-in's service time per message id
	 * @return the result
	 */
	public static BurstResult analyse(BurstCriteria criteria, List<Outcome> outcomes, long startNanos,
			Function<String, Long> serviceNanos) {
		long burstEnd = startNanos + criteria.burst().toNanos();
		double burstSeconds = criteria.burst().toNanos() / 1e9;
		long answeredInBurst = 0;
		long acceptedInBurst = 0;
		long[] fates = new long[Fate.values().length];
		for (Outcome outcome : outcomes) {
			Fate fate = Fate.of(outcome);
			fates[fate.ordinal()]++;
			if (fate == Fate.ANSWERED && within(outcome.replyNanos(), startNanos, burstEnd)) {
				answeredInBurst++;
			}
			if (outcome.status() == 200 && within(outcome.ackNanos(), startNanos, burstEnd)) {
				acceptedInBurst++;
			}
		}
		List<TimeWindow> windows = TimeWindows.of(outcomes, startNanos, criteria.burst().plus(criteria.calm()),
				criteria.window(), serviceNanos);
		OptionalDouble recovery = Recovery.seconds(windows, burstSeconds, criteria.overheadP99Ms());
		double answeredPerSecond = answeredInBurst / burstSeconds;
		long lost = fates[Fate.LOST.ordinal()];
		double recoverWithin = criteria.recoverWithin().toNanos() / 1e9;
		return new BurstResult(criteria.capacity(), criteria.burstRate(), burstSeconds, criteria.calmRate(),
				criteria.calm().toNanos() / 1e9, criteria.window().toNanos() / 1e9, criteria.overheadP99Ms(),
				recoverWithin, Results.round(answeredPerSecond), Results.round(answeredPerSecond / criteria.capacity()),
				Results.round(acceptedInBurst / burstSeconds), fates[Fate.ANSWERED.ordinal()],
				fates[Fate.REFUSED.ordinal()], fates[Fate.BUSY_APOLOGY.ordinal()], fates[Fate.ERROR.ordinal()], lost,
				windows, recovery.isPresent() ? recovery.getAsDouble() : null,
				answeredPerSecond >= criteria.throughputBar(), lost == 0,
				recovery.isPresent() && recovery.getAsDouble() <= recoverWithin, BurstResult.REDELIVERY);
	}

	private static boolean within(long nanos, long from, long to) {
		return nanos != 0 && nanos - from >= 0 && nanos - to < 0;
	}

}
