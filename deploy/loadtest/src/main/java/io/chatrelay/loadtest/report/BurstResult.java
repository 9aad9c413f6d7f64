package io.chatrelay.loadtest.report;

import java.util.List;
import java.util.Objects;

/**
 * What a burst run measured against issue 14's bar ({@link BurstCriteria}).
 *
 * @param capacity the node's capacity N, messages per second
 * @param burstRate the burst's rate offered
 * @param burstSeconds the burst's length
 * @param calmRate the calm's rate offered
 * @param calmSeconds the calm's length
 * @param windowSeconds one time window's length
 * @param overheadP99LimitMs a window under this overhead p99 has recovered
 * @param recoverWithinSeconds the longest recovery that passes
 * @param burstAnsweredPerSecond answers that arrived while the burst lasted (by the
 * answer's time), per second of the burst
 * @param burstAnsweredShare that as a share of the capacity
 * @param burstAcceptedPerSecond callbacks acknowledged with 200 and web chats answered
 * with 200 while the burst lasted (by the response's time), per second of the burst
 * @param answered messages of the whole run answered by the model
 * @param refused messages refused as busy (503 or 429), not delivered again
 * @param busyApologies messages answered with the "busy" apology
 * @param errors messages that failed otherwise
 * @param lost messages acknowledged and never replied to
 * @param windows the run in time windows by due time
 * @param recoverySeconds from the burst's end to the start of the first window from which
 * on every window is under the limit; {@code null} when not recovered
 * @param throughputPass at least {@value BurstCriteria#THROUGHPUT_SHARE} × N answered per
 * second during the burst
 * @param lostPass nothing lost
 * @param recoveryPass recovered within the limit
 * @param redelivery what the load tool does with a refused callback
 */
public record BurstResult(double capacity, double burstRate, double burstSeconds, double calmRate, double calmSeconds,
		double windowSeconds, double overheadP99LimitMs, double recoverWithinSeconds, double burstAnsweredPerSecond,
		double burstAnsweredShare, double burstAcceptedPerSecond, long answered, long refused, long busyApologies,
		long errors, long lost, List<TimeWindow> windows, Double recoverySeconds, boolean throughputPass,
		boolean lostPass, boolean recoveryPass, String redelivery) {

	/** What the load tool, as the platform, does when the client refuses a callback. */
	public static final String REDELIVERY = "the load tool's platform stand-in does not deliver a callback again after "
			+ "a 503 or 429: DingTalk's redelivery in HTTP mode is unverified (protocols README, \"Ack deadlines, "
			+ "redelivery and dedup\"), so no retry schedule is invented, and such messages are counted as refused "
			+ "(busy), not as lost";

	public BurstResult {
		windows = List.copyOf(windows);
		Objects.requireNonNull(redelivery, "redelivery");
	}

	/**
	 * Whether the run met all three criteria.
	 * @return throughput, nothing lost and the recovery
	 */
	public boolean pass() {
		return this.throughputPass && this.lostPass && this.recoveryPass;
	}

}
