package io.chatrelay.loadtest.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.Outcome;
import org.HdrHistogram.Histogram;

/**
 * Cuts a run into windows of equal length by each message's <b>due</b> time (when it
 * arrived at the system, whenever it was answered), so that a window tells what a message
 * arriving then went through.
 */
final class TimeWindows {

	private TimeWindows() {
	}

	/**
	 * The windows of a run, back to back from its start; the last one is shorter when the
	 * length is not a multiple of the window. A message due outside the run counts in the
	 * nearest window.
	 * @param outcomes every message of the run
	 * @param startNanos the run's start ({@link System#nanoTime()})
	 * @param length the run's length (the schedule's)
	 * @param window one window's length
	 * @param serviceNanos the LLM stand-in's service time per message id
	 * @return the windows in order
	 */
	static List<TimeWindow> of(List<Outcome> outcomes, long startNanos, Duration length, Duration window,
			Function<String, Long> serviceNanos) {
		long windowNanos = window.toNanos();
		int count = (int) Math.max(1, (length.toNanos() + windowNanos - 1) / windowNanos);
		List<Counts> counts = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			counts.add(new Counts());
		}
		for (Outcome outcome : outcomes) {
			long index = Math.floorDiv(outcome.dueNanos() - startNanos, windowNanos);
			counts.get((int) Math.max(0, Math.min(count - 1, index))).add(outcome, serviceNanos);
		}
		List<TimeWindow> windows = new ArrayList<>(count);
		double end = length.toNanos() / 1e9;
		for (int i = 0; i < count; i++) {
			double from = i * windowNanos / 1e9;
			windows.add(counts.get(i).window(from, Math.min(end, (i + 1) * windowNanos / 1e9)));
		}
		return windows;
	}

	/** One window while it fills. */
	private static final class Counts {

		private final Map<Fate, Long> fates = new EnumMap<>(Fate.class);

		private final Histogram overhead = LatencySummary.histogram();

		private final Histogram endToEnd = LatencySummary.histogram();

		private long offered;

		void add(Outcome outcome, Function<String, Long> serviceNanos) {
			this.offered++;
			Fate fate = Fate.of(outcome);
			this.fates.merge(fate, 1L, Long::sum);
			if (fate != Fate.ANSWERED) {
				return;
			}
			LatencySummary.record(this.endToEnd, outcome.replyNanos() - outcome.dueNanos());
			OptionalLong gateway = Results.overheadNanos(outcome, serviceNanos);
			if (gateway.isPresent()) {
				LatencySummary.record(this.overhead, gateway.getAsLong());
			}
		}

		TimeWindow window(double from, double to) {
			return new TimeWindow(from, to, this.offered, count(Fate.ANSWERED), count(Fate.REFUSED),
					count(Fate.BUSY_APOLOGY), count(Fate.ERROR), count(Fate.LOST), LatencySummary.of(this.overhead),
					LatencySummary.of(this.endToEnd));
		}

		private long count(Fate fate) {
			return this.fates.getOrDefault(fate, 0L);
		}

	}

}
