package io.chatrelay.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.Outcome;
import io.chatrelay.loadtest.traffic.Traffic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultsTest {

	private static final long MS = 1_000_000;

	private static final LatencySummary FLOOR = new LatencySummary(10, 50, 50, 60, 60);

	@Test
	void overheadIsEndToEndMinusTheStandInsOwnTimeForTheSameMessage() {
		Outcome outcome = dingTalk("a", 1_000 * MS, 1_003 * MS, 1_055 * MS, 1, true);
		Map<String, Long> service = Map.of("a", 51 * MS, "b", 10 * MS);

		assertThat(Results.overheadNanos(outcome, service::get)).hasValue(4 * MS);
		assertThat(Results.overheadNanos(dingTalk("c", 0, MS, 60 * MS, 1, true), service::get)).isEmpty();
		assertThat(Results.overheadNanos(dingTalk("b", 0, MS, 0, 0, false), service::get)).isEmpty();
		assertThat(Results.overheadNanos(dingTalk("b", 0, MS, 60 * MS, 1, false), service::get)).isEmpty();
	}

	@Test
	void countsLostDuplicatesApologiesAndErrorsByStatus() {
		List<Outcome> outcomes = new ArrayList<>();
		outcomes.add(dingTalk("ok", 0, 2 * MS, 60 * MS, 1, true));
		outcomes.add(dingTalk("dup", 0, 2 * MS, 60 * MS, 3, true));
		outcomes.add(dingTalk("lost", 0, 2 * MS, 0, 0, false));
		outcomes.add(dingTalk("sorry", 0, 2 * MS, 60 * MS, 1, false));
		outcomes.add(new Outcome("busy", Traffic.DINGTALK, 0, 0, 1, 503, 2 * MS, 0, 0, false, null));
		outcomes.add(new Outcome("refused", Traffic.DINGTALK, 0, 0, 1, 0, 2 * MS, 0, 0, false, "ConnectException"));
		Map<String, Long> service = Map.of("ok", 50 * MS, "dup", 50 * MS, "sorry", 50 * MS);

		TrafficResult result = Results.summarise(Traffic.DINGTALK, outcomes, 6, 1.0, 1.0, service::get, FLOOR);

		assertThat(result.sent()).isEqualTo(6);
		assertThat(result.lost()).isEqualTo(1);
		assertThat(result.duplicates()).isEqualTo(2);
		assertThat(result.errors())
			.containsExactlyInAnyOrderEntriesOf(Map.of("apology", 1L, "HTTP 503", 1L, "ConnectException", 1L));
		assertThat(result.errorCount()).isEqualTo(3);
		assertThat(result.ack().count()).isEqualTo(5);
		assertThat(result.endToEnd().count()).isEqualTo(3);
		assertThat(result.overhead().count()).isEqualTo(2);
		assertThat(result.overhead().p50Ms()).as("within HdrHistogram\'s 3 digits").isCloseTo(10.0, within(0.2));
	}

	@Test
	void percentilesRatesAndFloorRatiosComeFromTheDueTimes() {
		List<Outcome> outcomes = new ArrayList<>();
		Map<String, Long> service = new java.util.HashMap<>();
		for (int i = 1; i <= 100; i++) {
			String id = "m" + i;
			long due = i * 10 * MS;
			outcomes.add(new Outcome(id, Traffic.WEB, 0, due, due + MS, 200, due + (50 + i) * MS, due + (50 + i) * MS,
					1, true, null));
			service.put(id, 50 * MS);
		}

		TrafficResult result = Results.summarise(Traffic.WEB, outcomes, 100, 1.0, 1.25, service::get, FLOOR);

		assertThat(result.offeredRate()).isEqualTo(100.0);
		assertThat(result.achievedRate()).isEqualTo(80.0);
		assertThat(result.endToEnd().p50Ms()).as("within HdrHistogram\'s 3 digits").isCloseTo(100.0, within(0.2));
		assertThat(result.endToEnd().p99Ms()).as("within HdrHistogram\'s 3 digits").isCloseTo(149.0, within(0.2));
		assertThat(result.endToEnd().maxMs()).as("within HdrHistogram\'s 3 digits").isCloseTo(150.0, within(0.2));
		assertThat(result.overhead().p50Ms()).as("within HdrHistogram\'s 3 digits").isCloseTo(50.0, within(0.2));
		assertThat(result.overhead().p99Ms()).as("within HdrHistogram\'s 3 digits").isCloseTo(99.0, within(0.2));
		assertThat(result.ack()).isEqualTo(result.endToEnd());
		assertThat(result.ratioP50()).isEqualTo(2.0);
		assertThat(result.ratioP99()).isCloseTo(2.48, within(0.01));
		assertThat(result.errorCount()).isZero();
	}

	private static Outcome dingTalk(String id, long due, long acked, long replied, int replies, boolean answered) {
		return new Outcome(id, Traffic.DINGTALK, 0, due, due + 1, 200, acked, replied, replies, answered, null);
	}

}
