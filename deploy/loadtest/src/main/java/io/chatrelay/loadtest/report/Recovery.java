package io.chatrelay.loadtest.report;

import java.util.List;
import java.util.OptionalDouble;

/**
 * When the gateway's overhead was back to normal after a burst: the start of the first
 * window, at or after the burst's end, from which on every window's overhead p99 is under
 * the limit, counted from the burst's end.
 *
 * <p>
 * A window that offered nothing is skipped: it neither shows a recovery nor spoils one,
 * so a recovery is only seen in a window with messages. A window whose messages were all
 * refused, lost or failed has no overhead and is not under the limit. When the last
 * window with messages is over the limit, or none follows the burst, the run did not
 * recover.
 */
final class Recovery {

	private Recovery() {
	}

	/**
	 * The recovery time.
	 * @param windows the run's windows in order
	 * @param burstEndSeconds when the burst ended, seconds after the run's start
	 * @param overheadP99Ms the limit
	 * @return seconds from the burst's end, or empty when not recovered
	 */
	static OptionalDouble seconds(List<TimeWindow> windows, double burstEndSeconds, double overheadP99Ms) {
		Double since = null;
		for (TimeWindow window : windows) {
			if (window.fromSeconds() < burstEndSeconds - 1e-9 || window.empty()) {
				continue;
			}
			if (!window.under(overheadP99Ms)) {
				since = null;
			}
			else if (since == null) {
				since = window.fromSeconds();
			}
		}
		return (since != null) ? OptionalDouble.of(Math.max(0, since - burstEndSeconds)) : OptionalDouble.empty();
	}

}
