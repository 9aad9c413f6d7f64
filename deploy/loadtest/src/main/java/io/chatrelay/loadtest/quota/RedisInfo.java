package io.chatrelay.loadtest.quota;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code INFO commandstats} and {@code INFO cpu} say, and differences between two
 * readings.
 *
 * @param calls calls by command ({@code cmdstat_<name>:calls=N,...}), including the
 * commands scripts ran
 * @param cpuSeconds the server's {@code used_cpu_user} + {@code used_cpu_sys}
 */
record RedisInfo(Map<String, Long> calls, double cpuSeconds) {

	RedisInfo {
		calls = Map.copyOf(calls);
	}

	/**
	 * Parse the text of {@code INFO commandstats} and {@code INFO cpu} (in one string or
	 * two concatenated).
	 * @param info the text
	 * @return the reading
	 */
	static RedisInfo parse(String info) {
		Map<String, Long> calls = new TreeMap<>();
		double cpu = 0;
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (line.startsWith("#") || colon < 0) {
				continue;
			}
			String name = line.substring(0, colon);
			String value = line.substring(colon + 1).trim();
			if (name.startsWith("cmdstat_")) {
				for (String field : value.split(",")) {
					if (field.startsWith("calls=")) {
						calls.put(name.substring("cmdstat_".length()), Long.parseLong(field.substring(6)));
					}
				}
			}
			else if (name.equals("used_cpu_user") || name.equals("used_cpu_sys")) {
				cpu += Double.parseDouble(value);
			}
		}
		return new RedisInfo(calls, cpu);
	}

	/**
	 * What happened between an earlier reading and this one.
	 * @param before the earlier reading
	 * @return calls and CPU seconds since then (commands with no new calls left out)
	 */
	RedisInfo since(RedisInfo before) {
		return new RedisInfo(delta(before.calls, this.calls), this.cpuSeconds - before.cpuSeconds);
	}

	/**
	 * Counts since an earlier snapshot of the same counters.
	 * @param before the earlier counts
	 * @param after the later counts
	 * @return the positive differences, sorted by name
	 */
	static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> delta = new TreeMap<>();
		after.forEach((name, count) -> {
			long difference = count - before.getOrDefault(name, 0L);
			if (difference > 0) {
				delta.put(name, difference);
			}
		});
		return delta;
	}

	/**
	 * Counts per operation, e.g. {@code evalsha 1.00, get 2.00}.
	 * @param counts counts by name
	 * @param operations how many operations they served
	 * @return the text, {@code -} for no counts
	 */
	static String perOperation(Map<String, Long> counts, long operations) {
		if (counts.isEmpty() || operations == 0) {
			return "-";
		}
		StringBuilder text = new StringBuilder();
		counts.forEach((name, count) -> text.append((text.length() > 0) ? ", " : "")
			.append(name)
			.append(' ')
			.append(String.format(java.util.Locale.ROOT, "%.2f", count / (double) operations)));
		return text.toString();
	}

	/**
	 * The sum of counts per operation.
	 * @param counts counts by name
	 * @param operations how many operations they served
	 * @return the total per operation, 0 for no operations
	 */
	static double totalPerOperation(Map<String, Long> counts, long operations) {
		return (operations == 0) ? 0 : counts.values().stream().mapToLong(Long::longValue).sum() / (double) operations;
	}

}
