package io.chatrelay.loadtest.quota;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * What {@code quota-bench} found, and its markdown.
 *
 * @param settings the settings
 * @param started when the bench started
 * @param redisVersion the server's version
 * @param embedded whether the bench started the server
 * @param jedisVersion the Jedis on the class path
 * @param bucket4jVersion the bucket4j Jedis integration on the class path
 * @param checks the exactness checks
 * @param latencies the single-thread measurements by implementation
 * @param throughputs the many-thread measurements by implementation
 */
public record QuotaReport(QuotaBench.Settings settings, Instant started, String redisVersion, boolean embedded,
		String jedisVersion, String bucket4jVersion, List<Exactness.Check> checks,
		Map<Implementation, List<CostRun.Measurement>> latencies,
		Map<Implementation, List<CostRun.Measurement>> throughputs) {

	/**
	 * Whether every check was exact.
	 * @return {@code true} when both implementations held every limit exactly
	 */
	public boolean allExact() {
		return this.checks.stream().allMatch(Exactness.Check::exact);
	}

	/**
	 * Whether every measurement acquired something and nothing was refused.
	 * @return {@code true} when the cost measurements are of granted acquires
	 */
	public boolean measuredGrants() {
		return Stream.concat(this.latencies.values().stream(), this.throughputs.values().stream())
			.flatMap(List::stream)
			.allMatch((m) -> m.acquires() > 0 && m.refused() == 0);
	}

	/**
	 * The report.
	 * @return markdown
	 */
	public String markdown() {
		int threads = this.settings.threads();
		StringBuilder md = new StringBuilder();
		md.append("## quota-bench, ")
			.append(this.started.truncatedTo(ChronoUnit.SECONDS))
			.append("\n\nRedis ")
			.append(this.redisVersion)
			.append(this.embedded ? " (embedded redis-server, appendonly everysec)" : " (--redis-url)")
			.append(", Jedis ")
			.append(this.jedisVersion)
			.append(", bucket4j_jdk17-jedis ")
			.append(this.bucket4jVersion)
			.append("; warm-up ")
			.append(this.settings.warmup().toMillis() / 1000.0)
			.append(" s per implementation, ")
			.append(this.settings.rounds())
			.append(" rounds of ")
			.append(this.settings.window().toMillis() / 1000.0)
			.append(" s per measurement, implementations alternating.\n\n");
		md.append("### Exactness: two nodes (a JedisPool and a UnifiedJedis), ")
			.append(threads)
			.append(" threads\n\n| implementation | check | expected | got | exact |\n|---|---|---|---|---|\n");
		for (Exactness.Check check : this.checks) {
			md.append("| ")
				.append(check.implementation().label())
				.append(" | ")
				.append(check.name())
				.append(" | ")
				.append(check.expected())
				.append(" | ")
				.append(check.got())
				.append(" | ")
				.append(check.exact() ? "yes" : "**no**")
				.append(" |\n");
		}
		md.append("\n### Cost: user + tenant requests per minute, ")
			.append(CostRun.USERS)
			.append(" users of one tenant, two nodes; median (min–max) of ")
			.append(this.settings.rounds())
			.append(" runs\n\n| implementation | 1 thread p50 µs | 1 thread p99 µs | ")
			.append(threads)
			.append(" threads acquires/s | round trips per acquire, 1 / ")
			.append(threads)
			.append(" threads | Redis commands per acquire (incl. in scripts), ")
			.append(threads)
			.append(" threads | Redis CPU ms per 10k acquires, 1 / ")
			.append(threads)
			.append(" threads |\n|---|---|---|---|---|---|---|\n");
		for (Implementation implementation : this.latencies.keySet()) {
			List<CostRun.Measurement> single = this.latencies.get(implementation);
			List<CostRun.Measurement> many = this.throughputs.get(implementation);
			md.append("| ")
				.append(implementation.label())
				.append(" | ")
				.append(spread(single, (m) -> m.micros().getValueAtPercentile(50)).format(0))
				.append(" | ")
				.append(spread(single, (m) -> m.micros().getValueAtPercentile(99)).format(0))
				.append(" | ")
				.append(spread(many, CostRun.Measurement::perSecond).format(0))
				.append(" | ")
				.append(spread(single, CostRun.Measurement::roundTrips).format(2))
				.append(" / ")
				.append(spread(many, CostRun.Measurement::roundTrips).format(2))
				.append(" | ")
				.append(spread(many, CostRun.Measurement::redisCommands).format(2))
				.append(" | ")
				.append(spread(single, CostRun.Measurement::redisCpuMsPer10k).format(0))
				.append(" / ")
				.append(spread(many, CostRun.Measurement::redisCpuMsPer10k).format(0))
				.append(" |\n");
		}
		md.append("\n### Commands per acquire, ")
			.append(threads)
			.append(" threads, last round\n\n| implementation | sent by the nodes (round trips) | run by Redis "
					+ "(INFO commandstats, incl. inside scripts) | refused |\n|---|---|---|---|\n");
		for (Map.Entry<Implementation, List<CostRun.Measurement>> entry : this.throughputs.entrySet()) {
			CostRun.Measurement last = entry.getValue().get(entry.getValue().size() - 1);
			long refused = Stream.concat(entry.getValue().stream(), this.latencies.get(entry.getKey()).stream())
				.mapToLong(CostRun.Measurement::refused)
				.sum();
			md.append("| ")
				.append(entry.getKey().label())
				.append(" | ")
				.append(RedisInfo.perOperation(last.counters().sent(), last.acquires()))
				.append(" | ")
				.append(RedisInfo.perOperation(last.counters().server().calls(), last.acquires()))
				.append(" | ")
				.append(refused)
				.append(" |\n");
		}
		return md.toString();
	}

	private static Spread spread(List<CostRun.Measurement> runs, ToDoubleFunction<CostRun.Measurement> measure) {
		return Spread.of(runs.stream().mapToDouble(measure).toArray());
	}

}
