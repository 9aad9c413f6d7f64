package io.chatrelay.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.ResourceSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

	@Test
	void writesOneRowPerRunAndTrafficThenEachRunsNotes() {
		LatencySummary latency = new LatencySummary(100, 61.5, 70, 80.25, 95);
		TrafficResult dingTalk = new TrafficResult("dingtalk", 400, 400, 400, 399.5,
				new LatencySummary(400, 3, 5, 9, 12), latency, new LatencySummary(400, 1.5, 2, 4.25, 9), 0,
				Map.of("HTTP 503", 2L), 2, 1, 0, 1.2, 1.3);
		TrafficResult feishu = new TrafficResult("feishu", 400, 400, 400, 399.5, new LatencySummary(400, 3, 5, 9, 12),
				latency, new LatencySummary(400, 1.5, 2, 4.25, 9), 0, Map.of(), 0, 0, 0, 1.2, 1.3);
		TrafficResult web = new TrafficResult("web", 100, 100, 100, 100, latency, latency, latency, 0, Map.of(), 0, 0,
				0, 1.2, 1.3);
		RunReport report = new RunReport("S1", "500 msg/s", "2026-11-24T03:00:00Z", 60, List.of(dingTalk, feishu, web),
				new LatencySummary(30, 51, 52, 60, 61), "fixed:50ms", 500, 40,
				new ResourceSampler.Resources(400, 120.5, 380, 100), Map.of("cpuCores", "client 0.70"));

		String markdown = ReportWriter.markdown(List.of(report));

		assertThat(markdown).contains(
				"| S1 | dingtalk | 400 | 399.50 | 3.00 / 5.00 / 9.00 / 12.0 | 61.5 / 80.3 / 95.0 | 1.50 / 4.25 / 9.00 "
						+ "| 51.0 / 60.0 | 1.20 / 1.30 | 2 | 1 | 0 | 400 / 120.50 | 380 / 100 |");
		assertThat(markdown).as("Feishu callbacks are acknowledged first, like DingTalk's")
			.contains("| S1 | feishu | 400 | 399.50 | 3.00 / 5.00 / 9.00 / 12.0 |");
		assertThat(markdown).contains("| S1 | web | 100 | 100 | (the answer) |");
		assertThat(markdown).contains("dingtalk errors {HTTP 503=2}").contains("cpuCores client 0.70");
		assertThat(markdown).as("no security named, no line for it").startsWith("| Run |");
	}

	@Test
	void theSecurityControlsTheRunsShareStandAboveTheTable() {
		RunReport report = new RunReport("S2@300", "300 msg/s", "2026-12-07T03:00:00Z", 15, List.of(),
				new LatencySummary(30, 51, 52, 60, 61), "fixed:50ms", 300, 40,
				new ResourceSampler.Resources(400, 120.5, 380, 100), Map.of(RunReport.SECURITY, "off: plaintext"));

		assertThat(ReportWriter.markdown(List.of(report, report))).startsWith("Security off: plaintext\n\n| Run |")
			.contains("security off: plaintext");
		assertThat(ReportWriter.markdown(List.of(report, report.with(RunReport.SECURITY, "on: mutual TLS"))))
			.as("runs that differ say so in their notes only")
			.startsWith("| Run |");
	}

	@Test
	void aBurstRunGetsItsCriteriaAndWindowsBelowTheTable(@TempDir Path results) throws IOException {
		BurstOutcomes run = new BurstOutcomes().answered(0, 10_000, 1_500, 5)
			.answered(10_000, 15_000, 250, 400)
			.status(12_000, 503)
			.answered(15_000, 30_000, 750, 5);
		BurstResult burst = BurstAnalysis.analyse(new BurstCriteria(100, Duration.ofSeconds(10), Duration.ofSeconds(20),
				Duration.ofSeconds(5), 50, Duration.ofSeconds(15)), run.outcomes(), BurstOutcomes.START,
				run::serviceNanos);
		RunReport report = new RunReport("burst", "150 msg/s for 10 s, then 50 msg/s for 20 s", "2026-12-08T03:00:00Z",
				30, List.of(), new LatencySummary(30, 51, 52, 60, 61), "fixed:50ms", 2_500, 40,
				new ResourceSampler.Resources(400, 120.5, 380, 100), Map.of("burst", burst, "heap", "512m"));

		String markdown = ReportWriter.markdown(List.of(report));

		assertThat(markdown).as("the result is a section, not a note")
			.doesNotContain("; burst ")
			.contains("; heap 512m");
		assertThat(markdown)
			.contains("#### burst: 150 msg/s for 10 s, then 50 msg/s for 20 s (capacity N = 100 msg/s): " + "**pass**")
			.contains(
					"| Answers per second during the burst (by answer time) | 149.20 (1.49 × N) | ≥ 90 (0.90 × N) | pass |")
			.contains("| Lost (acknowledged, never replied to) | 0 | 0 | pass |")
			.contains("| Recovery: every later window's overhead p99 < 50 ms | 5 s after the burst | ≤ 15 s | pass |")
			.contains("1 refused (busy)")
			.contains("does not deliver a callback again")
			.contains("by each message's **due** time");
		assertThat(markdown).contains("| 0–5 | burst | 750 | 750 | 0 | 0 | 0 | 0 | 5.00 / 5.00 | 55.0 |")
			.contains("| 10–15 | calm | 251 | 250 | 1 | 0 | 0 | 0 | 400.1 / 400.1 | 450.1 |")
			.contains("| 25–30 | calm | 250 | 250 | 0 | 0 | 0 | 0 |");

		ReportWriter.write(results, "burst", List.of(report));
		String json = Files.readString(results.resolve("burst.json"));
		assertThat(json).contains("\"recoverySeconds\" : 5.0")
			.contains("\"burstAnsweredPerSecond\" : 149.2")
			.contains("\"windows\" : [ {")
			.contains("\"refused\" : 1");
	}

}
