package io.chatrelay.loadtest.report;

import java.util.Objects;

import io.chatrelay.loadtest.measure.LatencySummary;

/**
 * The messages of a run that were due within one stretch of time, and what became of
 * them. The counts add up to {@code offered}.
 *
 * @param fromSeconds the window's start, seconds after the run's start (inclusive)
 * @param toSeconds its end (exclusive)
 * @param offered messages due within it
 * @param answered of those, answered by the model
 * @param refused refused as busy: the callback or web chat answered 503 or 429
 * @param busyApologies acknowledged, then answered with the client's "busy" apology
 * @param errors anything else that failed (no response, another status, another apology)
 * @param lost acknowledged, never replied to
 * @param overhead the gateway's overhead of the answered ones
 * @param endToEnd their time from due to answer
 */
public record TimeWindow(double fromSeconds, double toSeconds, long offered, long answered, long refused,
		long busyApologies, long errors, long lost, LatencySummary overhead, LatencySummary endToEnd) {

	public TimeWindow {
		Objects.requireNonNull(overhead, "overhead");
		Objects.requireNonNull(endToEnd, "endToEnd");
	}

	/**
	 * Whether no message was due within it: it neither shows a recovery nor spoils one.
	 * @return nothing offered
	 */
	public boolean empty() {
		return this.offered == 0;
	}

	/**
	 * Whether the overhead was back under a limit: at least one message was answered
	 * (with its overhead timed) and the p99 is below the limit. A window whose messages
	 * were all refused, lost or failed is not.
	 * @param overheadP99Ms the limit
	 * @return whether it is under
	 */
	public boolean under(double overheadP99Ms) {
		return this.overhead.count() > 0 && this.overhead.p99Ms() < overheadP99Ms;
	}

}
