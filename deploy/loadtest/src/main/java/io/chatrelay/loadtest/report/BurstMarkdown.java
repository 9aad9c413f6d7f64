package io.chatrelay.loadtest.report;

/**
 * A burst run's section of the markdown report: the three criteria with pass or miss, the
 * burst's throughput, and the run in time windows.
 */
final class BurstMarkdown {

	private static final String WINDOWS_HEADER = "| Due (s) | Phase | Offered | Answered | Refused (busy) "
			+ "| Busy apology | Errors | Lost | Overhead p50 / p99 (ms) | End-to-end p99 (ms) |\n"
			+ "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";

	private BurstMarkdown() {
	}

	/**
	 * The section.
	 * @param run the run's name
	 * @param burst its result
	 * @return markdown, ending with a blank line
	 */
	static String section(String run, BurstResult burst) {
		StringBuilder out = new StringBuilder();
		out.append("\n#### ").append(run).append(": ").append(ReportWriter.number(burst.burstRate()));
		out.append(" msg/s for ").append(seconds(burst.burstSeconds())).append(", then ");
		out.append(ReportWriter.number(burst.calmRate())).append(" msg/s for ").append(seconds(burst.calmSeconds()));
		out.append(" (capacity N = ").append(ReportWriter.number(burst.capacity())).append(" msg/s): ");
		out.append(burst.pass() ? "**pass**" : "**miss**").append("\n\n");
		out.append("| Criterion (issue 14) | Measured | Bar | |\n|---|--:|--:|---|\n");
		out.append("| Answers per second during the burst (by answer time) | ")
			.append(ReportWriter.number(burst.burstAnsweredPerSecond()))
			.append(" (")
			.append(ReportWriter.number(burst.burstAnsweredShare()))
			.append(" × N) | ≥ ")
			.append(ReportWriter.number(Results.round(BurstCriteria.THROUGHPUT_SHARE * burst.capacity())))
			.append(" (")
			.append(ReportWriter.number(BurstCriteria.THROUGHPUT_SHARE))
			.append(" × N) | ")
			.append(verdict(burst.throughputPass()))
			.append(" |\n");
		out.append("| Lost (acknowledged, never replied to) | ")
			.append(burst.lost())
			.append(" | 0 | ")
			.append(verdict(burst.lostPass()))
			.append(" |\n");
		out.append("| Recovery: every later window's overhead p99 < ")
			.append(ReportWriter.number(burst.overheadP99LimitMs()))
			.append(" ms | ")
			.append((burst.recoverySeconds() != null) ? seconds(burst.recoverySeconds()) + " after the burst"
					: "not recovered")
			.append(" | ≤ ")
			.append(seconds(burst.recoverWithinSeconds()))
			.append(" | ")
			.append(verdict(burst.recoveryPass()))
			.append(" |\n\n");
		out.append("During the burst: ").append(ReportWriter.number(burst.burstAcceptedPerSecond()));
		out.append(" accepted per second (callbacks acknowledged with 200 and web chats answered with 200, by the "
				+ "response's time). Whole run: ");
		out.append(burst.answered()).append(" answered, ").append(burst.refused()).append(" refused (busy), ");
		out.append(burst.busyApologies()).append(" busy apologies, ").append(burst.errors()).append(" errors, ");
		out.append(burst.lost()).append(" lost. Refused (busy): ").append(burst.redelivery()).append(".\n\n");
		out.append("Windows of ").append(seconds(burst.windowSeconds()));
		out.append(" by each message's **due** time (when it arrived at the system, not when it was answered), from "
				+ "the start of the measured run; overhead and end-to-end of the answered messages.\n\n");
		out.append(WINDOWS_HEADER);
		for (TimeWindow window : burst.windows()) {
			out.append(row(window, burst));
		}
		return out.toString();
	}

	private static String row(TimeWindow window, BurstResult burst) {
		String phase = (window.fromSeconds() < burst.burstSeconds() - 1e-9) ? "burst" : "calm";
		String overhead = window.empty() || window.overhead().count() == 0 ? "–"
				: ReportWriter.ms(window.overhead().p50Ms()) + " / " + ReportWriter.ms(window.overhead().p99Ms());
		String endToEnd = (window.endToEnd().count() == 0) ? "–" : ReportWriter.ms(window.endToEnd().p99Ms());
		return "| " + ReportWriter.number(window.fromSeconds()) + "–" + ReportWriter.number(window.toSeconds()) + " | "
				+ phase + " | " + window.offered() + " | " + window.answered() + " | " + window.refused() + " | "
				+ window.busyApologies() + " | " + window.errors() + " | " + window.lost() + " | " + overhead + " | "
				+ endToEnd + " |\n";
	}

	private static String verdict(boolean pass) {
		return pass ? "pass" : "miss";
	}

	private static String seconds(double seconds) {
		return ReportWriter.number(Results.round(seconds)) + " s";
	}

}
