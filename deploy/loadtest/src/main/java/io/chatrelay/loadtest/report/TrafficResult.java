package io.chatrelay.loadtest.report;

import java.util.Map;

import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.traffic.Traffic;

/**
 * One kind of traffic in one run (or one step of a ramp).
 *
 * @param traffic the kind ({@link Traffic#label()})
 * @param offered messages the schedule asked for
 * @param sent messages handed to the HTTP client
 * @param offeredRate messages per second asked for
 * @param achievedRate messages per second sent
 * @param ack from due to the callback's response (web: the whole answer)
 * @param endToEnd from due to the reply at the platform stand-in (web: the response)
 * @param overhead end-to-end minus the LLM stand-in's own service time for that message
 * @param unjoined replies whose message the LLM stand-in never timed (not in
 * {@code overhead})
 * @param errors failures by kind: {@code HTTP <status>}, an exception name,
 * {@code apology} (the user got an apology, not an answer), {@code apology (busy)} (the
 * client's "busy" apology: its inbox was full, or the message too old),
 * {@code stream error}
 * @param errorCount all of {@code errors}
 * @param lost acknowledged, no reply within the grace period
 * @param duplicates replies beyond the first
 * @param ratioP50 end-to-end p50 divided by the floor's p50
 * @param ratioP99 end-to-end p99 divided by the floor's p99
 */
public record TrafficResult(String traffic, long offered, long sent, double offeredRate, double achievedRate,
		LatencySummary ack, LatencySummary endToEnd, LatencySummary overhead, long unjoined, Map<String, Long> errors,
		long errorCount, long lost, long duplicates, double ratioP50, double ratioP99) {

	public TrafficResult {
		errors = Map.copyOf(errors);
	}

}
