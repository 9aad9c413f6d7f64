package io.chatrelay.loadtest;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.chatrelay.loadtest.measure.Outcome;
import io.chatrelay.loadtest.report.BurstAnalysis;
import io.chatrelay.loadtest.report.BurstCriteria;

/**
 * The burst scenario's hook: notes when the run started (the burst's start) and, once
 * every message is settled, measures the run against issue 14's bar
 * ({@link BurstAnalysis}), as the extra result {@value #RESULT}.
 */
final class BurstCheck implements RunHook {

	/** The extra result's name. */
	static final String RESULT = "burst";

	private final BurstCriteria criteria;

	private volatile long startNanos;

	BurstCheck(BurstCriteria criteria) {
		this.criteria = criteria;
	}

	@Override
	public void started(long startNanos) {
		this.startNanos = startNanos;
	}

	@Override
	public Map<String, Object> results(List<Outcome> outcomes, Function<String, Long> serviceNanos) {
		return Map.of(RESULT, BurstAnalysis.analyse(this.criteria, outcomes, this.startNanos, serviceNanos));
	}

}
