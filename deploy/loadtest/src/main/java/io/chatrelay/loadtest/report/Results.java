package io.chatrelay.loadtest.report;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.Outcome;
import io.chatrelay.loadtest.traffic.Traffic;
import org.HdrHistogram.Histogram;

/**
 * Turns the outcomes of a run into {@link TrafficResult}s: latencies from the due time,
 * the overhead join with the LLM stand-in's service times, errors, lost and duplicate
 * replies, and the ratios to the floor.
 */
public final class Results {

	private Results() {
	}

	/**
	 * The gateway's overhead for one message: end-to-end minus the LLM stand-in's service
	 * time for the same message id.
	 * @param outcome the message
	 * @param serviceNanos the stand-in's service time per message id
	 * @return nanoseconds, or empty if it was not replied to or the stand-in did not time
	 * it
	 */
	static OptionalLong overheadNanos(Outcome outcome, Function<String, Long> serviceNanos) {
		if (!outcome.replied() || !outcome.answered()) {
			return OptionalLong.empty();
		}
		Long service = serviceNanos.apply(outcome.id());
		if (service == null) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(outcome.replyNanos() - outcome.dueNanos() - service);
	}

	/**
	 * Summarise the outcomes of one kind of traffic.
	 * @param traffic the kind
	 * @param outcomes its messages (only these)
	 * @param offered messages the schedule asked for
	 * @param seconds the length of the schedule
	 * @param sendSeconds from the first due time to the last send
	 * @param serviceNanos the stand-in's service time per message id
	 * @param floor the floor's latencies
	 * @return the result
	 */
	public static TrafficResult summarise(Traffic traffic, List<Outcome> outcomes, long offered, double seconds,
			double sendSeconds, Function<String, Long> serviceNanos, LatencySummary floor) {
		Histogram ack = LatencySummary.histogram();
		Histogram endToEnd = LatencySummary.histogram();
		Histogram overhead = LatencySummary.histogram();
		Map<String, Long> errors = new TreeMap<>();
		long sent = 0;
		long lost = 0;
		long duplicates = 0;
		long unjoined = 0;
		for (Outcome outcome : outcomes) {
			if (outcome.sentNanos() != 0) {
				sent++;
			}
			if (outcome.status() == 0) {
				errors.merge((outcome.error() != null) ? outcome.error() : "not sent", 1L, Long::sum);
				continue;
			}
			if (traffic.acknowledged()) {
				LatencySummary.record(ack, outcome.ackNanos() - outcome.dueNanos());
			}
			if (outcome.status() != 200) {
				errors.merge("HTTP " + outcome.status(), 1L, Long::sum);
				continue;
			}
			if (!outcome.replied()) {
				lost++;
				continue;
			}
			duplicates += outcome.replies() - 1;
			LatencySummary.record(endToEnd, outcome.replyNanos() - outcome.dueNanos());
			if (outcome.error() != null) {
				errors.merge(outcome.error(), 1L, Long::sum);
			}
			else if (!outcome.answered()) {
				errors.merge(outcome.busy() ? "apology (busy)" : "apology", 1L, Long::sum);
			}
			OptionalLong gateway = overheadNanos(outcome, serviceNanos);
			if (gateway.isPresent()) {
				LatencySummary.record(overhead, gateway.getAsLong());
			}
			else if (outcome.answered()) {
				unjoined++;
			}
		}
		if (!traffic.acknowledged()) {
			ack = endToEnd;
		}
		LatencySummary e2e = LatencySummary.of(endToEnd);
		long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
		return new TrafficResult(traffic.label(), offered, sent, round(offered / seconds),
				round(sent / Math.max(sendSeconds, 1e-9)), LatencySummary.of(ack), e2e, LatencySummary.of(overhead),
				unjoined, errors, errorCount, lost, duplicates, ratio(e2e.p50Ms(), floor.p50Ms()),
				ratio(e2e.p99Ms(), floor.p99Ms()));
	}

	/**
	 * A ratio with two decimals; 0 when the divisor is 0.
	 * @param value the value
	 * @param floor the divisor
	 * @return value / floor
	 */
	static double ratio(double value, double floor) {
		return (floor > 0) ? round(value / floor) : 0;
	}

	static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
