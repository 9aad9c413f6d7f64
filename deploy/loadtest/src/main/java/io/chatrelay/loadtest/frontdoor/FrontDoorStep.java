package io.chatrelay.loadtest.frontdoor;

import java.util.Locale;
import java.util.Map;

import io.chatrelay.loadtest.measure.LatencySummary;

/**
 * One step of a {@link ConnectionStorm}: new connections at one rate.
 *
 * @param rate new connections offered per second
 * @param seconds how long they were offered
 * @param offered connections opened (or tried)
 * @param connected connects that completed
 * @param connectTimeouts connects still pending at the connect timeout (the kernel's
 * accept queue was full and SYNs were dropped)
 * @param connectFailures connects refused or reset, or sockets that could not be opened
 * @param answered connections that got a status line
 * @param responseTimeouts connected, but no status line within the response timeout
 * @param responseFailures connected, then closed or reset before a status line, or still
 * open when the step ended
 * @param statuses answered connections by HTTP status
 * @param connect from due time to connected
 * @param response from due time to the status line
 * @param maxOpen the most connections open at once
 */
public record FrontDoorStep(double rate, double seconds, long offered, long connected, long connectTimeouts,
		long connectFailures, long answered, long responseTimeouts, long responseFailures, Map<Integer, Long> statuses,
		LatencySummary connect, LatencySummary response, int maxOpen) {

	/** The header of {@link #row()}'s table. */
	public static final String HEADER = "| New connections/s | Offered | Connected | Connect timeouts | Connect failures "
			+ "| Connect p50 / p99 / max (ms) | Answered | Response timeouts / failures | Response p50 / p99 / max (ms) "
			+ "| Statuses | Most open |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|\n";

	public FrontDoorStep {
		statuses = Map.copyOf(statuses);
	}

	/**
	 * Whether every connection connected and was answered with a 2xx.
	 * @return {@code true} if nothing timed out or failed
	 */
	public boolean clean() {
		long ok = this.statuses.entrySet()
			.stream()
			.filter((status) -> status.getKey() >= 200 && status.getKey() < 300)
			.mapToLong(Map.Entry::getValue)
			.sum();
		return ok == this.offered;
	}

	/**
	 * This step as a row of a markdown table under {@link #HEADER}.
	 * @return the row, with its line break
	 */
	public String row() {
		return "| " + number(this.rate) + " | " + this.offered + " | " + this.connected + " | " + this.connectTimeouts
				+ " | " + this.connectFailures + " | " + latency(this.connect) + " | " + this.answered + " | "
				+ this.responseTimeouts + " / " + this.responseFailures + " | " + latency(this.response) + " | "
				+ this.statuses + " | " + this.maxOpen + " |\n";
	}

	private static String latency(LatencySummary summary) {
		return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", summary.p50Ms(), summary.p99Ms(), summary.maxMs());
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
	}

}
