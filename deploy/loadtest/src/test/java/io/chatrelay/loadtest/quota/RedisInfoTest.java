package io.chatrelay.loadtest.quota;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RedisInfoTest {

	private static final String BEFORE = """
			# Commandstats\r
			cmdstat_get:calls=10,usec=30,usec_per_call=3.00,rejected_calls=0,failed_calls=0\r
			cmdstat_evalsha:calls=5,usec=100,usec_per_call=20.00,rejected_calls=0,failed_calls=0\r
			cmdstat_info:calls=2,usec=50,usec_per_call=25.00,rejected_calls=0,failed_calls=0\r
			\r
			# CPU\r
			used_cpu_sys:1.250000\r
			used_cpu_user:2.500000\r
			used_cpu_sys_children:0.000000\r
			used_cpu_user_children:0.000000\r
			used_cpu_sys_main_thread:1.200000\r
			used_cpu_user_main_thread:2.400000\r
			""";

	private static final String AFTER = """
			# Commandstats
			cmdstat_get:calls=30,usec=90,usec_per_call=3.00,rejected_calls=0,failed_calls=0
			cmdstat_evalsha:calls=15,usec=300,usec_per_call=20.00,rejected_calls=0,failed_calls=0
			cmdstat_info:calls=2,usec=50,usec_per_call=25.00,rejected_calls=0,failed_calls=0
			cmdstat_pttl:calls=20,usec=20,usec_per_call=1.00,rejected_calls=0,failed_calls=0
			# CPU
			used_cpu_sys:1.750000
			used_cpu_user:3.000000
			used_cpu_sys_main_thread:1.700000
			""";

	@Test
	void readsCallsPerCommandAndTheServersCpuWithoutItsChildrenOrThreadBreakdown() {
		RedisInfo info = RedisInfo.parse(BEFORE);

		assertThat(info.calls()).containsExactlyInAnyOrderEntriesOf(Map.of("get", 10L, "evalsha", 5L, "info", 2L));
		assertThat(info.cpuSeconds()).isCloseTo(3.75, within(1e-9));
	}

	@Test
	void differenceKeepsOnlyCommandsThatRanMeanwhile() {
		RedisInfo since = RedisInfo.parse(AFTER).since(RedisInfo.parse(BEFORE));

		assertThat(since.calls()).containsExactlyInAnyOrderEntriesOf(Map.of("get", 20L, "evalsha", 10L, "pttl", 20L));
		assertThat(since.cpuSeconds()).isCloseTo(1.0, within(1e-9));
	}

	@Test
	void countsPerOperation() {
		Map<String, Long> counts = RedisInfo.delta(Map.of("eval", 3L), Map.of("eval", 13L, "get", 10L));

		assertThat(RedisInfo.perOperation(counts, 5)).isEqualTo("eval 2.00, get 2.00");
		assertThat(RedisInfo.totalPerOperation(counts, 5)).isEqualTo(4.0);
		assertThat(RedisInfo.perOperation(Map.of(), 5)).isEqualTo("-");
		assertThat(RedisInfo.totalPerOperation(counts, 0)).isZero();
	}

}
