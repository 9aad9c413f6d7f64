package io.chatrelay.loadtest;

import java.util.Map;

import io.chatrelay.loadtest.report.RunReport;

/**
 * Something a scenario does during a run (a degrade flip), with results for the report.
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

}
