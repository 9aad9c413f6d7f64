package io.chatrelay.loadtest.report;

import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.ResourceSampler;

/**
 * Everything one run measured.
 *
 * @param scenario the run's name
 * @param description what it did
 * @param startedAt when (ISO-8601)
 * @param seconds the schedule's length
 * @param traffic one result per kind of traffic
 * @param floor the LLM stand-in called directly by the load tool, in the same run
 * @param llm the stand-in's pacing
 * @param llmCalls calls the LLM stand-in answered (floor calls included)
 * @param llmMaxInFlight the most calls it held at once
 * @param resources the client's and provider's peak memory
 * @param extra scenario-specific results (degrade propagation, settings)
 */
public record RunReport(String scenario, String description, String startedAt, double seconds,
		List<TrafficResult> traffic, LatencySummary floor, String llm, long llmCalls, long llmMaxInFlight,
		ResourceSampler.Resources resources, Map<String, Object> extra) {

	/**
	 * The extra result naming the security controls the system ran with (issue 13's
	 * {@code --security}); the reports show it above their table.
	 */
	public static final String SECURITY = "security";

	public RunReport {
		traffic = List.copyOf(traffic);
		extra = Map.copyOf(extra);
	}

	/**
	 * The same report with one more extra result.
	 * @param key its name
	 * @param value its value
	 * @return a new report
	 */
	public RunReport with(String key, Object value) {
		java.util.Map<String, Object> more = new java.util.LinkedHashMap<>(this.extra);
		more.put(key, value);
		return new RunReport(this.scenario, this.description, this.startedAt, this.seconds, this.traffic, this.floor,
				this.llm, this.llmCalls, this.llmMaxInFlight, this.resources, more);
	}

	/**
	 * The worst overhead p99 of any kind of traffic.
	 * @return milliseconds
	 */
	public double overheadP99Ms() {
		return this.traffic.stream().mapToDouble((t) -> t.overhead().p99Ms()).max().orElse(0);
	}

	/**
	 * Errors of every kind of traffic.
	 * @return the sum
	 */
	public long errors() {
		return this.traffic.stream().mapToLong(TrafficResult::errorCount).sum();
	}

	/**
	 * Lost replies of every kind of traffic.
	 * @return the sum
	 */
	public long lost() {
		return this.traffic.stream().mapToLong(TrafficResult::lost).sum();
	}

}
