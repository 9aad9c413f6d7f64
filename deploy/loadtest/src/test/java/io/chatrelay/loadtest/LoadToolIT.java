package io.chatrelay.loadtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.chatrelay.loadtest.report.RunReport;
import io.chatrelay.loadtest.report.TrafficResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The load tool keeps working: it starts the system from the jars the build just made,
 * runs the smoke scenario (20 msg/s for 5 s of DingTalk, encrypted Feishu and WeCom
 * callbacks, web and web-stream chats) and reports every message answered once. No timing
 * is asserted: a benchmark is not a test.
 */
class LoadToolIT {

	@Test
	void smokeRunAnswersEveryMessageOnceAndWritesItsReport() throws Exception {
		Path results = Path.of("target", "it-results").toAbsolutePath();

		List<RunReport> reports = LoadTool.run(ToolOptions.parse("smoke", "--warmup=2s", "--warmup-max=2s",
				"--results=" + results, "--home=target/it-run", "--nodes=target/nodes"));

		assertThat(reports).hasSize(1);
		RunReport report = reports.get(0);
		assertThat(report.traffic()).extracting(TrafficResult::traffic)
			.containsExactly("dingtalk", "feishu", "wecom", "web", "web-stream");
		for (TrafficResult traffic : report.traffic()) {
			assertThat(traffic.errors()).as(traffic.traffic() + " errors").isEmpty();
			assertThat(traffic.lost()).as(traffic.traffic() + " lost").isZero();
			assertThat(traffic.duplicates()).as(traffic.traffic() + " duplicates").isZero();
			assertThat(traffic.sent()).as(traffic.traffic() + " sent").isEqualTo(traffic.offered());
			assertThat(traffic.achievedRate()).as(traffic.traffic() + " achieved rate")
				.isCloseTo(traffic.offeredRate(), within(traffic.offeredRate() * 0.1));
			assertThat(traffic.endToEnd().count()).as(traffic.traffic() + " replies").isEqualTo(traffic.offered());
			assertThat(traffic.overhead().count()).as(traffic.traffic() + " joined with the stand-in")
				.isEqualTo(traffic.offered());
		}
		assertThat(report.floor().count()).isPositive();
		assertThat(report.extra().get(RunReport.SECURITY)).as("--security is on by default")
			.asString()
			.startsWith("on: mutual TLS");
		assertThat(report.extra().get("warmup")).as("the warm-up is noted, JIT share and all")
			.asString()
			.matches("2 s at \\d+ msg/s; JIT in its last block: client [0-9.]+, provider [0-9.]+ cores");
		assertThat(report.resources().clientRssMiB()).isPositive();
		assertThat(report.resources().providerHeapMiB()).isPositive();
		assertThat(results.resolve("smoke.md")).content().startsWith("Security on: ").contains("| smoke | dingtalk |");
		assertThat(Files.readString(results.resolve("smoke.json"))).contains("\"scenario\" : \"smoke\"");
	}

}
