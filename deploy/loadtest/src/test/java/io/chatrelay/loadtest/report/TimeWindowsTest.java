package io.chatrelay.loadtest.report;

import java.time.Duration;
import java.util.List;

import io.chatrelay.loadtest.measure.Outcome;
import io.chatrelay.loadtest.traffic.Traffic;
import org.junit.jupiter.api.Test;

import static io.chatrelay.loadtest.report.BurstOutcomes.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimeWindowsTest {

	@Test
	void eachMessageCountsInTheWindowOfItsDueTimeNotOfItsAnswer() {
		BurstOutcomes run = new BurstOutcomes().answered(4_900, 3_000).answered(5_000, 5).answered(9_999, 5);

		List<TimeWindow> windows = TimeWindows.of(run.outcomes(), START, Duration.ofSeconds(15), Duration.ofSeconds(5),
				run::serviceNanos);

		assertThat(windows).extracting(TimeWindow::offered).containsExactly(1L, 2L, 0L);
		assertThat(windows).extracting(TimeWindow::answered).containsExactly(1L, 2L, 0L);
		assertThat(windows.get(0).overhead().p99Ms()).as("answered in the next window, counted in its own")
			.isCloseTo(3_000, within(5.0));
		assertThat(windows).extracting(TimeWindow::fromSeconds).containsExactly(0.0, 5.0, 10.0);
		assertThat(windows).extracting(TimeWindow::toSeconds).containsExactly(5.0, 10.0, 15.0);
	}

	@Test
	void aWindowsCountsAddUpToWhatItOffered() {
		BurstOutcomes run = new BurstOutcomes().answered(100, 5)
			.status(200, 503)
			.status(300, 429)
			.busyApology(400)
			.lost(500)
			.timedOut(600)
			.status(700, 500);

		TimeWindow window = TimeWindows
			.of(run.outcomes(), START, Duration.ofSeconds(5), Duration.ofSeconds(5), run::serviceNanos)
			.get(0);

		assertThat(window.offered()).isEqualTo(7);
		assertThat(window.answered()).isEqualTo(1);
		assertThat(window.refused()).as("503 and 429 ask the platform to deliver again").isEqualTo(2);
		assertThat(window.busyApologies()).isEqualTo(1);
		assertThat(window.lost()).isEqualTo(1);
		assertThat(window.errors()).as("no response, and a 500").isEqualTo(2);
		assertThat(window.answered() + window.refused() + window.busyApologies() + window.errors() + window.lost())
			.isEqualTo(window.offered());
		assertThat(window.overhead().count()).as("only answers have an overhead").isEqualTo(1);
		assertThat(window.endToEnd().count()).isEqualTo(1);
	}

	@Test
	void percentilesComeFromTheWindowsOwnAnswers() {
		BurstOutcomes run = new BurstOutcomes().answered(0, 5_000, 100, 10).answered(5_000, 10_000, 99, 2);
		run.answered(9_999, 400);

		List<TimeWindow> windows = TimeWindows.of(run.outcomes(), START, Duration.ofSeconds(10), Duration.ofSeconds(5),
				run::serviceNanos);

		assertThat(windows.get(0).overhead().p50Ms()).isCloseTo(10, within(0.1));
		assertThat(windows.get(0).overhead().p99Ms()).isCloseTo(10, within(0.1));
		assertThat(windows.get(1).overhead().p50Ms()).isCloseTo(2, within(0.1));
		assertThat(windows.get(1).overhead().maxMs()).isCloseTo(400, within(1.0));
		assertThat(windows.get(1).endToEnd().p50Ms()).isCloseTo(52, within(0.1));
	}

	@Test
	void aLengthThatIsNotAMultipleOfTheWindowEndsWithAShorterOne() {
		BurstOutcomes run = new BurstOutcomes().answered(11_500, 5);

		List<TimeWindow> windows = TimeWindows.of(run.outcomes(), START, Duration.ofSeconds(12), Duration.ofSeconds(5),
				run::serviceNanos);

		assertThat(windows).hasSize(3);
		assertThat(windows.get(2).fromSeconds()).isEqualTo(10.0);
		assertThat(windows.get(2).toSeconds()).isEqualTo(12.0);
		assertThat(windows.get(2).offered()).isEqualTo(1);
	}

	@Test
	void aMessageDueOutsideTheRunCountsInTheNearestWindow() {
		long before = START - BurstOutcomes.MS;
		Outcome early = new Outcome("early", Traffic.WEB, 0, before, before, 200, before, before, 1, true, null);
		BurstOutcomes run = new BurstOutcomes().answered(10_000, 5);

		List<TimeWindow> windows = TimeWindows.of(List.of(early, run.outcomes().get(0)), START, Duration.ofSeconds(10),
				Duration.ofSeconds(5), run::serviceNanos);

		assertThat(windows).extracting(TimeWindow::offered).containsExactly(1L, 1L);
	}

}
