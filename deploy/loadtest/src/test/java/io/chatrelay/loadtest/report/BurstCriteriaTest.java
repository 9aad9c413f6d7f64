package io.chatrelay.loadtest.report;

import java.time.Duration;

import io.chatrelay.loadtest.traffic.ArrivalSchedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BurstCriteriaTest {

	@Test
	void issue14sRunOffersOneAndAHalfTimesTheCapacityThenHalfOfIt() {
		BurstCriteria criteria = BurstCriteria.of(400);
		ArrivalSchedule schedule = criteria.schedule();

		assertThat(schedule.steps()).extracting(ArrivalSchedule.Step::perSecond).containsExactly(600.0, 200.0);
		assertThat(schedule.steps()).extracting(ArrivalSchedule.Step::duration)
			.containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
		assertThat(schedule.steps()).extracting(ArrivalSchedule.Step::count).containsExactly(18_000L, 12_000L);
		assertThat(schedule.total()).isEqualTo(30_000);
		assertThat(schedule.duration()).isEqualTo(Duration.ofSeconds(90));
		assertThat(criteria.throughputBar()).isEqualTo(360.0);
	}

	@Test
	void theCalmStartsWhenTheBurstEndsAtItsOwnRate() {
		ArrivalSchedule schedule = new BurstCriteria(100, Duration.ofSeconds(10), Duration.ofSeconds(20),
				Duration.ofSeconds(5), 50, Duration.ofSeconds(15))
			.schedule();

		assertThat(schedule.total()).isEqualTo(1_500 + 1_000);
		assertThat(schedule.stepOf(1_499)).isZero();
		assertThat(schedule.dueNanos(1_499)).isEqualTo(9_993_333_333L);
		assertThat(schedule.stepOf(1_500)).isEqualTo(1);
		assertThat(schedule.dueNanos(1_500)).isEqualTo(10_000_000_000L);
		assertThat(schedule.dueNanos(1_501)).isEqualTo(10_020_000_000L);
	}

	@Test
	void aRateThatDoesNotDivideASecondRoundsEachStepsCount() {
		ArrivalSchedule schedule = BurstCriteria.of(7).schedule();

		assertThat(schedule.steps()).extracting(ArrivalSchedule.Step::count).containsExactly(315L, 210L);
	}

	@Test
	void refusesANonsensicalRun() {
		assertThatIllegalArgumentException().isThrownBy(() -> BurstCriteria.of(0));
		assertThatIllegalArgumentException().isThrownBy(() -> new BurstCriteria(100, Duration.ZERO,
				Duration.ofSeconds(60), Duration.ofSeconds(5), 50, Duration.ofSeconds(15)));
		assertThatIllegalArgumentException().isThrownBy(() -> new BurstCriteria(100, Duration.ofSeconds(30),
				Duration.ofSeconds(60), Duration.ZERO, 50, Duration.ofSeconds(15)));
		assertThatIllegalArgumentException().isThrownBy(() -> new BurstCriteria(100, Duration.ofSeconds(30),
				Duration.ofSeconds(60), Duration.ofSeconds(5), 0, Duration.ofSeconds(15)));
	}

}
