package io.chatrelay.loadtest.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.measure.Outcome;
import io.chatrelay.loadtest.traffic.Traffic;

/**
 * Messages of a made-up burst run for the tests: each due at a time after the run's
 * start, with what became of it; the LLM stand-in took {@link #SERVICE_MS} for each
 * answered one.
 */
final class BurstOutcomes {

	static final long MS = 1_000_000;

	static final long START = 1_000_000 * MS;

	static final long SERVICE_MS = 50;

	private final List<Outcome> outcomes = new ArrayList<>();

	private final Map<String, Long> service = new HashMap<>();

	/**
	 * A DingTalk message answered with a given overhead.
	 * @param dueMs when it was due, after the start
	 * @param overheadMs the gateway's overhead
	 * @return this
	 */
	BurstOutcomes answered(long dueMs, long overheadMs) {
		String id = "m" + this.outcomes.size();
		long due = START + dueMs * MS;
		this.outcomes.add(new Outcome(id, Traffic.DINGTALK, 0, due, due, 200, due + 2 * MS,
				due + (SERVICE_MS + overheadMs) * MS, 1, true, null, false));
		this.service.put(id, SERVICE_MS * MS);
		return this;
	}

	/**
	 * Answered messages, evenly spread over a stretch, all with one overhead.
	 * @param fromMs the first one's due time
	 * @param toMs the end of the stretch (exclusive)
	 * @param count how many
	 * @param overheadMs their overhead
	 * @return this
	 */
	BurstOutcomes answered(long fromMs, long toMs, int count, long overheadMs) {
		for (int i = 0; i < count; i++) {
			answered(fromMs + (toMs - fromMs) * i / count, overheadMs);
		}
		return this;
	}

	/**
	 * A DingTalk callback the client answered with a status and nothing else.
	 * @param dueMs when it was due
	 * @param status e.g. 503
	 * @return this
	 */
	BurstOutcomes status(long dueMs, int status) {
		long due = START + dueMs * MS;
		this.outcomes.add(new Outcome("s" + this.outcomes.size(), Traffic.DINGTALK, 0, due, due, status, due + 2 * MS,
				0, 0, false, null, false));
		return this;
	}

	/**
	 * A DingTalk message acknowledged and answered with the "busy" apology.
	 * @param dueMs when it was due
	 * @return this
	 */
	BurstOutcomes busyApology(long dueMs) {
		long due = START + dueMs * MS;
		this.outcomes.add(new Outcome("b" + this.outcomes.size(), Traffic.DINGTALK, 0, due, due, 200, due + 2 * MS,
				due + 5 * MS, 1, false, null, true));
		return this;
	}

	/**
	 * A DingTalk message acknowledged and never replied to.
	 * @param dueMs when it was due
	 * @return this
	 */
	BurstOutcomes lost(long dueMs) {
		return status(dueMs, 200);
	}

	/**
	 * A message that got no response at all.
	 * @param dueMs when it was due
	 * @return this
	 */
	BurstOutcomes timedOut(long dueMs) {
		long due = START + dueMs * MS;
		this.outcomes.add(new Outcome("t" + this.outcomes.size(), Traffic.DINGTALK, 0, due, due, 0, due + 10_000 * MS,
				0, 0, false, "HttpTimeoutException", false));
		return this;
	}

	List<Outcome> outcomes() {
		return this.outcomes;
	}

	Long serviceNanos(String id) {
		return this.service.get(id);
	}

}
