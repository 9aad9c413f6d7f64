package io.chatrelay.loadtest.quota;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code quota-bench} keeps working on a real redis-server, and with it the findings that
 * are not timings: both implementations hold every limit exactly across two nodes, and
 * bucket4j's Jedis integration (built against Jedis 4) runs on our Jedis 5, and one
 * acquire of ours is one round trip. No timing is asserted.
 */
class QuotaBenchIT {

	@Test
	void bothImplementationsAreExactAcrossTwoNodesOnOurJedis() throws Exception {
		Path out = Path.of("target", "it-results", "quota-bench.md");

		QuotaReport report = QuotaBench.run(List.of("--warmup=500ms", "--window=300ms", "--rounds=1",
				"--home=target/it-quota-bench", "--out=" + out));

		assertThat(report.jedisVersion()).startsWith("5.");
		assertThat(report.bucket4jVersion()).isNotEqualTo("?");
		assertThat(report.checks()).hasSize(4 * Implementation.values().length);
		assertThat(report.checks()).allSatisfy((check) -> assertThat(check.exact()).as(check.toString()).isTrue());
		assertThat(report.measuredGrants()).isTrue();
		CostRun.Measurement lua = report.throughputs().get(Implementation.LUA).get(0);
		assertThat(lua.counters().sent()).as("one EVALSHA per acquire").containsOnlyKeys("evalsha");
		assertThat(lua.roundTrips()).isEqualTo(1.0);
		assertThat(out).content().contains("| our Lua (Quotas) | user 60/min: 300 attempts | 60 | 60 | yes |");
	}

}
