package io.chatrelay.loadtest.report;

import java.util.ArrayList;
import java.util.List;

import io.chatrelay.loadtest.measure.LatencySummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {

	private static final double LIMIT = 50;

	@Test
	void recoveredAtTheStartOfTheFirstWindowFromWhichOnEveryOneIsUnder() {
		List<TimeWindow> windows = windows(300, 400, 120, 60, 20, 10, 12);

		assertThat(Recovery.seconds(windows, 10, LIMIT)).hasValue(10.0);
	}

	@Test
	void aCalmThatIsUnderFromItsFirstWindowRecoveredAtOnce() {
		assertThat(Recovery.seconds(windows(300, 400, 20, 10, 12), 10, LIMIT)).hasValue(0.0);
	}

	@Test
	void theBurstsOwnWindowsDoNotCount() {
		assertThat(Recovery.seconds(windows(10, 10, 900, 10), 10, LIMIT)).hasValue(5.0);
		assertThat(Recovery.seconds(windows(900, 900, 10, 10), 10, LIMIT)).hasValue(0.0);
	}

	@Test
	void aRelapseStartsTheRecoveryAfresh() {
		assertThat(Recovery.seconds(windows(300, 300, 10, 80, 10, 10), 10, LIMIT)).hasValue(10.0);
	}

	@Test
	void theLimitItselfIsNotUnder() {
		assertThat(Recovery.seconds(windows(300, 300, 10, 50), 10, LIMIT)).isEmpty();
	}

	@Test
	void notRecoveredWhenTheLastWindowIsOver() {
		assertThat(Recovery.seconds(windows(300, 300, 10, 10, 70), 10, LIMIT)).isEmpty();
	}

	@Test
	void notRecoveredWhenNoWindowFollowsTheBurst() {
		assertThat(Recovery.seconds(windows(300, 300), 10, LIMIT)).isEmpty();
	}

	@Test
	void aWindowWithoutMessagesNeitherShowsNorSpoilsARecovery() {
		assertThat(Recovery.seconds(windows(300, 300, 70, Double.NaN, 10, 10), 10, LIMIT))
			.as("the first window with messages under the limit shows it")
			.hasValue(10.0);
		assertThat(Recovery.seconds(windows(300, 300, 10, Double.NaN, 10), 10, LIMIT))
			.as("an empty window between two under the limit")
			.hasValue(0.0);
		assertThat(Recovery.seconds(windows(300, 300, 10, 10, Double.NaN), 10, LIMIT)).as("an empty last window")
			.hasValue(0.0);
		assertThat(Recovery.seconds(windows(300, 300, Double.NaN, Double.NaN), 10, LIMIT))
			.as("nothing after the burst shows a recovery")
			.isEmpty();
	}

	@Test
	void aWindowWhoseMessagesWereAllRefusedIsNotUnder() {
		List<TimeWindow> windows = new ArrayList<>(windows(300, 300, 10));
		windows.add(new TimeWindow(15, 20, 40, 0, 40, 0, 0, 0, LatencySummary.of(LatencySummary.histogram()),
				LatencySummary.of(LatencySummary.histogram())));

		assertThat(Recovery.seconds(windows, 10, LIMIT)).isEmpty();
	}

	/**
	 * Windows of 5 s from 0, one per overhead p99; {@code NaN} for a window without
	 * messages.
	 */
	private static List<TimeWindow> windows(double... p99s) {
		List<TimeWindow> windows = new ArrayList<>();
		for (int i = 0; i < p99s.length; i++) {
			boolean empty = Double.isNaN(p99s[i]);
			LatencySummary overhead = empty ? new LatencySummary(0, 0, 0, 0, 0)
					: new LatencySummary(100, p99s[i] / 2, p99s[i], p99s[i], p99s[i]);
			windows.add(new TimeWindow(i * 5, (i + 1) * 5, empty ? 0 : 100, empty ? 0 : 100, 0, 0, 0, 0, overhead,
					overhead));
		}
		return windows;
	}

}
