package io.chatrelay.loadtest.quota;

import java.util.Arrays;
import java.util.Locale;

/**
 * One measure over repeated runs: the median and the range.
 *
 * @param median the median (of an even count, the mean of the middle two)
 * @param min the smallest
 * @param max the largest
 */
record Spread(double median, double min, double max) {

	/**
	 * Summarise runs.
	 * @param values one value per run, at least one
	 * @return the spread
	 */
	static Spread of(double... values) {
		if (values.length == 0) {
			throw new IllegalArgumentException("no values");
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		double median = (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
		return new Spread(median, sorted[0], sorted[sorted.length - 1]);
	}

	/**
	 * The median and range with the given decimals, e.g. {@code 182 (171–240)}.
	 * @param decimals digits after the point
	 * @return the text
	 */
	String format(int decimals) {
		String number = "%." + decimals + "f";
		return String.format(Locale.ROOT, number + " (" + number + "–" + number + ")", this.median, this.min, this.max);
	}

}
