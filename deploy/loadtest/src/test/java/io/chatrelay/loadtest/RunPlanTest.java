package io.chatrelay.loadtest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chatrelay.loadtest.traffic.ArrivalSchedule;
import io.chatrelay.loadtest.traffic.Traffic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunPlanTest {

	@Test
	void theMixIsExactAndCountsAddUp() {
		Map<Traffic, Integer> mix = new LinkedHashMap<>();
		mix.put(Traffic.DINGTALK, 4);
		mix.put(Traffic.WEB, 1);
		RunPlan plan = new RunPlan("t", "t", ArrivalSchedule.steady(7, Duration.ofSeconds(1)), mix, 10, 0.05,
				Duration.ofSeconds(1));

		assertThat(plan.trafficOf(0)).isEqualTo(Traffic.DINGTALK);
		assertThat(plan.trafficOf(3)).isEqualTo(Traffic.DINGTALK);
		assertThat(plan.trafficOf(4)).isEqualTo(Traffic.WEB);
		assertThat(plan.trafficOf(5)).isEqualTo(Traffic.DINGTALK);
		assertThat(plan.offered(Traffic.DINGTALK)).isEqualTo(6);
		assertThat(plan.offered(Traffic.WEB)).isEqualTo(1);
		assertThat(plan.offered(Traffic.WEB_STREAM)).isZero();
	}

}
