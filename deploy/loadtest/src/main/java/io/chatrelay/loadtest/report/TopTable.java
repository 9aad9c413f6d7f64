package io.chatrelay.loadtest.report;

import java.util.Locale;
import java.util.Map;

/**
 * The markdown tables of the profile summaries ({@link CpuTop}, {@link JfrTop}): the
 * largest counts first, with their share of a total.
 */
final class TopTable {

	private TopTable() {
	}

	/**
	 * Append a table.
	 * @param out where to
	 * @param title its heading
	 * @param counts the samples (or events) per key
	 * @param total what the shares are of
	 * @param top how many rows at most
	 */
	static void append(StringBuilder out, String title, Map<String, Long> counts, long total, int top) {
		out.append("#### ").append(title).append("\n\n| | Samples | Share |\n|---|--:|--:|\n");
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(top)
			.forEach((entry) -> out.append("| `")
				.append(entry.getKey().replace("|", "\\|"))
				.append("` | ")
				.append(entry.getValue())
				.append(" | ")
				.append(String.format(Locale.ROOT, "%.1f %%", 100.0 * entry.getValue() / Math.max(1, total)))
				.append(" |\n"));
		out.append('\n');
	}

}
