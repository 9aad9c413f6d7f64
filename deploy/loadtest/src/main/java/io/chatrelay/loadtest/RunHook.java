package io.chatrelay.loadtest;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.chatrelay.loadtest.measure.Outcome;
import io.chatrelay.loadtest.report.RunReport;

/**
 * Something a scenario does during a run (a degrade flip), or draws from its messages at
 * the end (a burst's recovery), with results for the report.
 */
interface RunHook {

	/** Does nothing. */
	RunHook NONE = new RunHook() {
	};

	/**
	 * The schedule started.
	 * @param startNanos its start ({@link System#nanoTime()})
	 */
	default void started(long startNanos) {
	}

	/**
	 * The run is over: stop and say what happened.
	 * @return results for {@link RunReport#extra()}
	 */
	default Map<String, Object> finish() {
		return Map.of();
	}

	/**
	 * Every message is settled (replied to, failed, or past the grace period): results
	 * drawn from what became of them.
	 * @param outcomes every message of the run
	 * @param serviceNanos the LLM stand-in's service time per message id
	 * @return results for {@link RunReport#extra()}
	 */
	default Map<String, Object> results(List<Outcome> outcomes, Function<String, Long> serviceNanos) {
		return Map.of();
	}

}
