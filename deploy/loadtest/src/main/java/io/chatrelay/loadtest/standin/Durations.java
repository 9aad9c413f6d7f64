package io.chatrelay.loadtest.standin;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people type them on the command line: {@code 250us}, {@code 50ms},
 * {@code 5s}, {@code 2m}; a bare number is milliseconds.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Parse a duration.
	 * @param text e.g. {@code 50ms}
	 * @return the duration
	 * @throws IllegalArgumentException if it is not a non-negative number with a unit
	 */
	public static Duration parse(String text) {
		String value = text.strip().toLowerCase(Locale.ROOT);
		try {
			if (value.endsWith("us")) {
				return Duration.ofNanos(Math.round(Double.parseDouble(cut(value, 2)) * 1_000));
			}
			if (value.endsWith("ms")) {
				return Duration.ofNanos(Math.round(Double.parseDouble(cut(value, 2)) * 1_000_000));
			}
			if (value.endsWith("s")) {
				return Duration.ofNanos(Math.round(Double.parseDouble(cut(value, 1)) * 1_000_000_000));
			}
			if (value.endsWith("m")) {
				return Duration.ofSeconds(Math.round(Double.parseDouble(cut(value, 1)) * 60));
			}
			return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1_000_000));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not a duration: '" + text + "' (e.g. 50ms, 5s, 2m)", ex);
		}
	}

	private static String cut(String value, int unitLength) {
		String number = value.substring(0, value.length() - unitLength);
		if (number.isEmpty() || number.startsWith("-")) {
			throw new NumberFormatException(value);
		}
		return number;
	}

	/**
	 * Milliseconds with two decimals, for reports.
	 * @param nanos a time in nanoseconds
	 * @return milliseconds
	 */
	static double millis(long nanos) {
		return Math.round(nanos / 10_000.0) / 100.0;
	}

}
