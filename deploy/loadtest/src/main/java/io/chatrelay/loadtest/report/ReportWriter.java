package io.chatrelay.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chatrelay.loadtest.frontdoor.FrontDoorStep;
import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.traffic.Traffic;

/**
 * Writes run reports as a markdown table and as JSON: {@code <name>.md} and
 * {@code <name>.json} in the results directory.
 */
public final class ReportWriter {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private static final String HEADER = "| Run | Traffic | Offered/s | Achieved/s | Ack p50 / p90 / p99 / max (ms) "
			+ "| End-to-end p50 / p99 / max (ms) | Overhead p50 / p99 / max (ms) | Floor p50 / p99 (ms) "
			+ "| E2E ÷ floor p50 / p99 | Errors | Lost | Dup | Client RSS / heap (MiB) | Provider RSS / heap (MiB) |\n"
			+ "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";

	private ReportWriter() {
	}

	/**
	 * Write reports.
	 * @param directory the results directory (created if missing)
	 * @param name the file name without extension
	 * @param reports the runs
	 * @return the markdown file
	 * @throws IOException if writing fails
	 */
	public static Path write(Path directory, String name, List<RunReport> reports) throws IOException {
		Files.createDirectories(directory);
		JSON.writeValue(directory.resolve(name + ".json").toFile(), reports);
		Path markdown = directory.resolve(name + ".md");
		Files.writeString(markdown, markdown(reports), StandardCharsets.UTF_8);
		return markdown;
	}

	/**
	 * The markdown table, one row per run and kind of traffic, then each run's extra
	 * results, then a section for each burst run ({@link BurstResult}); above the table
	 * the security controls, when every run names the same.
	 * @param reports the runs
	 * @return the markdown
	 */
	public static String markdown(List<RunReport> reports) {
		StringBuilder out = new StringBuilder();
		List<Object> security = reports.stream()
			.map((report) -> report.extra().get(RunReport.SECURITY))
			.filter(Objects::nonNull)
			.distinct()
			.toList();
		if (security.size() == 1) {
			out.append("Security ").append(security.get(0)).append("\n\n");
		}
		out.append(HEADER);
		for (RunReport report : reports) {
			for (TrafficResult traffic : report.traffic()) {
				out.append(row(report, traffic));
			}
		}
		out.append('\n');
		for (RunReport report : reports) {
			out.append("- **").append(report.scenario()).append("** (").append(report.startedAt()).append("): ");
			out.append(report.description()).append("; LLM stand-in: ").append(report.llm());
			out.append(", ").append(report.llmCalls()).append(" calls, at most ").append(report.llmMaxInFlight());
			out.append(" at once");
			for (TrafficResult traffic : report.traffic()) {
				if (!traffic.errors().isEmpty()) {
					out.append("; ").append(traffic.traffic()).append(" errors ").append(traffic.errors());
				}
				if (traffic.unjoined() > 0) {
					out.append("; ").append(traffic.traffic()).append(' ').append(traffic.unjoined());
					out.append(" answers not timed by the stand-in");
				}
			}
			for (Map.Entry<String, Object> extra : report.extra().entrySet()) {
				if (!(extra.getValue() instanceof BurstResult) && !(extra.getValue() instanceof FrontDoorStep)) {
					out.append("; ").append(extra.getKey()).append(' ').append(text(extra.getValue()));
				}
			}
			out.append('\n');
		}
		for (RunReport report : reports) {
			for (Object extra : report.extra().values()) {
				if (extra instanceof BurstResult burst) {
					out.append(BurstMarkdown.section(report.scenario(), burst));
				}
			}
		}
		List<FrontDoorStep> steps = reports.stream()
			.flatMap((report) -> report.extra().values().stream())
			.filter(FrontDoorStep.class::isInstance)
			.map(FrontDoorStep.class::cast)
			.toList();
		if (!steps.isEmpty()) {
			out.append("\n#### Front door: new connections, one request each\n\n").append(FrontDoorStep.HEADER);
			steps.forEach((step) -> out.append(step.row()));
		}
		return out.toString();
	}

	private static String row(RunReport report, TrafficResult t) {
		boolean hasAck = Traffic.of(t.traffic()).acknowledged();
		return "| " + report.scenario() + " | " + t.traffic() + " | " + number(t.offeredRate()) + " | "
				+ number(t.achievedRate()) + " | "
				+ (hasAck ? ms(t.ack().p50Ms()) + " / " + ms(t.ack().p90Ms()) + " / " + ms(t.ack().p99Ms()) + " / "
						+ ms(t.ack().maxMs()) : "(the answer)")
				+ " | " + ms(t.endToEnd().p50Ms()) + " / " + ms(t.endToEnd().p99Ms()) + " / " + ms(t.endToEnd().maxMs())
				+ " | " + ms(t.overhead().p50Ms()) + " / " + ms(t.overhead().p99Ms()) + " / " + ms(t.overhead().maxMs())
				+ " | " + ms(report.floor().p50Ms()) + " / " + ms(report.floor().p99Ms()) + " | " + number(t.ratioP50())
				+ " / " + number(t.ratioP99()) + " | " + t.errorCount() + " | " + t.lost() + " | " + t.duplicates()
				+ " | " + number(report.resources().clientRssMiB()) + " / " + number(report.resources().clientHeapMiB())
				+ " | " + number(report.resources().providerRssMiB()) + " / "
				+ number(report.resources().providerHeapMiB()) + " |\n";
	}

	private static String text(Object value) {
		if (value instanceof LatencySummary latency) {
			return "p50 " + ms(latency.p50Ms()) + " ms, p99 " + ms(latency.p99Ms()) + " ms, max " + ms(latency.maxMs())
					+ " ms (" + latency.count() + ")";
		}
		return String.valueOf(value);
	}

	static String ms(double millis) {
		return String.format(Locale.ROOT, (millis < 10) ? "%.2f" : "%.1f", millis);
	}

	static String number(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
	}

}
