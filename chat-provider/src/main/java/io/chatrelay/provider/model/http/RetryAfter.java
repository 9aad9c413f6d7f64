package io.chatrelay.provider.model.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads the HTTP {@code Retry-After} header (RFC 9110 section 10.2.3), shared by the
 * vendor adapters' error mappers.
 */
public final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * How long a {@code Retry-After} value asks to wait.
	 * @param value delay seconds ({@code "2"}, also tolerating {@code "1.5"}) or an
	 * HTTP-date ({@code "Wed, 21 Oct 2015 07:28:00 GMT"}); may be {@code null}
	 * @param clock the clock to measure an HTTP-date against
	 * @return milliseconds to wait, 0 when absent, unreadable or in the past
	 */
	public static long toMillis(String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return 0;
		}
		String trimmed = value.strip();
		try {
			double seconds = Double.parseDouble(trimmed);
			return (seconds > 0 && Double.isFinite(seconds)) ? (long) Math.ceil(seconds * 1000) : 0;
		}
		catch (NumberFormatException ex) {
			// not delay-seconds: try an HTTP-date
		}
		try {
			ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
			return Math.max(0, Duration.between(clock.instant(), at.toInstant()).toMillis());
		}
		catch (DateTimeParseException ex) {
			return 0;
		}
	}

	/**
	 * Read a millisecond delay header such as OpenAI's {@code retry-after-ms}.
	 * @param value milliseconds, possibly fractional; may be {@code null}
	 * @return milliseconds to wait, 0 when absent or unreadable
	 */
	public static long millisHeader(String value) {
		if (value == null || value.isBlank()) {
			return 0;
		}
		try {
			double millis = Double.parseDouble(value.strip());
			return (millis > 0 && Double.isFinite(millis)) ? (long) Math.ceil(millis) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
