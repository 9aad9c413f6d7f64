package io.chatrelay.loadtest.traffic;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArrivalScheduleTest {

	@Test
	void steadyRateSpacesMessagesEvenlyByAbsoluteTime() {
		ArrivalSchedule schedule = ArrivalSchedule.steady(500, Duration.ofSeconds(60));

		assertThat(schedule.total()).isEqualTo(30_000);
		assertThat(schedule.dueNanos(0)).isZero();
		assertThat(schedule.dueNanos(1)).isEqualTo(2_000_000);
		assertThat(schedule.dueNanos(500)).isEqualTo(1_000_000_000);
		assertThat(schedule.dueNanos(29_999)).isEqualTo(59_998_000_000L);
		assertThat(schedule.duration()).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void aRateThatDoesNotDivideASecondDoesNotDrift() {
		ArrivalSchedule schedule = ArrivalSchedule.steady(3, Duration.ofSeconds(10));

		assertThat(schedule.total()).isEqualTo(30);
		assertThat(schedule.dueNanos(1)).isEqualTo(333_333_333);
		assertThat(schedule.dueNanos(2)).isEqualTo(666_666_667);
		assertThat(schedule.dueNanos(3)).isEqualTo(1_000_000_000);
		assertThat(schedule.dueNanos(29)).isEqualTo(9_666_666_667L);
	}

	@Test
	void rampStepsFollowEachOtherAndEachKeepsItsRate() {
		ArrivalSchedule schedule = ArrivalSchedule.ramp(List.of(100.0, 200.0), Duration.ofSeconds(2));

		assertThat(schedule.total()).isEqualTo(600);
		assertThat(schedule.dueNanos(199)).isEqualTo(1_990_000_000L);
		assertThat(schedule.dueNanos(200)).isEqualTo(2_000_000_000L);
		assertThat(schedule.dueNanos(201)).isEqualTo(2_005_000_000L);
		assertThat(schedule.stepOf(199)).isZero();
		assertThat(schedule.stepOf(200)).isEqualTo(1);
		assertThat(schedule.stepOf(599)).isEqualTo(1);
		assertThatThrownBy(() -> schedule.dueNanos(600)).isInstanceOf(IndexOutOfBoundsException.class);
	}

	@Test
	void rejectsAStepWithoutRateOrTime() {
		assertThatIllegalArgumentException().isThrownBy(() -> ArrivalSchedule.steady(0, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> ArrivalSchedule.steady(10, Duration.ZERO));
	}

}
