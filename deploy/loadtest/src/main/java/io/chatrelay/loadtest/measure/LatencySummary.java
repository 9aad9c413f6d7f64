package io.chatrelay.loadtest.measure;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency, in milliseconds.
 *
 * @param count how many values
 * @param p50Ms the median
 * @param p90Ms the 90th percentile
 * @param p99Ms the 99th percentile
 * @param maxMs the largest
 */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

	/** No values. */
	public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

	/**
	 * A histogram for latencies recorded in microseconds: 1 µs to an hour, three
	 * significant digits.
	 * @return an empty histogram
	 */
	public static Histogram histogram() {
		return new Histogram(3_600_000_000L, 3);
	}

	/**
	 * Record nanoseconds into a microsecond histogram; negative values count as 0.
	 * @param histogram the histogram
	 * @param nanos the value
	 */
	public static void record(Histogram histogram, long nanos) {
		histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), Math.max(0, nanos / 1_000)));
	}

	/**
	 * Summarise a microsecond histogram.
	 * @param histogram the values
	 * @return the summary, {@link #EMPTY} if it holds nothing
	 */
	public static LatencySummary of(Histogram histogram) {
		if (histogram.getTotalCount() == 0) {
			return EMPTY;
		}
		return new LatencySummary(histogram.getTotalCount(), ms(histogram.getValueAtPercentile(50)),
				ms(histogram.getValueAtPercentile(90)), ms(histogram.getValueAtPercentile(99)),
				ms(histogram.getMaxValue()));
	}

	private static double ms(long micros) {
		return Math.round(micros / 10.0) / 100.0;
	}

}
