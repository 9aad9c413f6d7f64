package io.chatrelay.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's time went, from a JFR recording: CPU samples by thread pool, by library
 * of the top frame, by top method and by the nearest ChatRelay frame; allocation by the
 * nearest ChatRelay frame and by allocated class; blocking socket reads and monitor waits
 * by thread and caller; GC pauses. Written as markdown, so a profile becomes evidence in
 * {@code docs/benchmarks.md}.
 *
 * <pre>
 * java -jar chat-relay-loadtest.jar jfr-top client.jfr [more.jfr] &gt; client-profile.md
 * </pre>
 */
public final class JfrTop {

	private static final int TOP = 15;

	private static final List<String[]> LIBRARIES = List.of(new String[] { "io.chatrelay.", "ChatRelay" },
			new String[] { "org.apache.dubbo.", "Dubbo" }, new String[] { "io.netty.", "Netty" },
			new String[] { "redis.clients.", "Jedis" }, new String[] { "com.fasterxml.jackson.", "Jackson" },
			new String[] { "com.alibaba.com.caucho.hessian.", "Hessian" },
			new String[] { "org.apache.catalina.", "Tomcat" }, new String[] { "org.apache.coyote.", "Tomcat" },
			new String[] { "org.apache.tomcat.", "Tomcat" }, new String[] { "org.springframework.", "Spring" },
			new String[] { "ch.qos.logback.", "Logback" }, new String[] { "org.slf4j.", "Logback" },
			new String[] { "io.micrometer.", "Micrometer" }, new String[] { "io.github.resilience4j.", "resilience4j" },
			new String[] { "org.apache.zookeeper.", "ZooKeeper" }, new String[] { "org.apache.curator.", "ZooKeeper" },
			new String[] { "jdk.internal.net.http.", "JDK HttpClient" },
			new String[] { "java.net.http.", "JDK HttpClient" }, new String[] { "sun.nio.", "JDK NIO" },
			new String[] { "java.nio.", "JDK NIO" }, new String[] { "sun.security.", "JDK crypto" },
			new String[] { "javax.crypto.", "JDK crypto" }, new String[] { "com.sun.crypto.", "JDK crypto" },
			new String[] { "java.util.concurrent.", "JDK concurrent" },
			new String[] { "java.util.regex.", "JDK regex" }, new String[] { "java.lang.invoke.", "JDK reflection" },
			new String[] { "java.lang.reflect.", "JDK reflection" },
			new String[] { "jdk.internal.reflect.", "JDK reflection" }, new String[] { "java.", "JDK other" },
			new String[] { "jdk.", "JDK other" }, new String[] { "sun.", "JDK other" });

	private JfrTop() {
	}

	/**
	 * Summarise recordings.
	 * @param files the JFR files
	 * @return markdown
	 * @throws IOException if a file cannot be read
	 */
	static String summarise(List<Path> files) throws IOException {
		Map<String, Long> threads = new HashMap<>();
		Map<String, Long> libraries = new HashMap<>();
		Map<String, Long> methods = new HashMap<>();
		Map<String, Long> ours = new HashMap<>();
		Map<String, Double> allocationBySite = new HashMap<>();
		Map<String, Double> allocationByClass = new HashMap<>();
		Map<String, Double> blocked = new HashMap<>();
		Map<String, Long> blockedCount = new HashMap<>();
		Map<String, Long> started = new HashMap<>();
		long threadsStarted = 0;
		long samples = 0;
		double gcPauseMs = 0;
		long gcs = 0;
		Duration recorded = Duration.ZERO;
		for (Path file : files) {
			java.time.Instant first = null;
			java.time.Instant last = null;
			for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
				first = (first == null || event.getStartTime().isBefore(first)) ? event.getStartTime() : first;
				last = (last == null || event.getEndTime().isAfter(last)) ? event.getEndTime() : last;
				String type = event.getEventType().getName();
				switch (type) {
					case "jdk.ExecutionSample" -> {
						samples++;
						threads.merge(pool(event.getThread("sampledThread")), 1L, Long::sum);
						RecordedStackTrace stack = event.getStackTrace();
						if (stack != null && !stack.getFrames().isEmpty()) {
							String top = method(stack.getFrames().get(0));
							methods.merge(top, 1L, Long::sum);
							libraries.merge(library(top), 1L, Long::sum);
							ours.merge(nearestOurs(stack), 1L, Long::sum);
						}
					}
					case "jdk.ObjectAllocationSample" -> {
						double weight = event.getLong("weight") / 1024.0 / 1024.0;
						allocationBySite.merge(nearestOurs(event.getStackTrace()), weight, Double::sum);
						allocationByClass.merge(event.getClass("objectClass").getName(), weight, Double::sum);
					}
					case "jdk.SocketRead", "jdk.JavaMonitorEnter", "jdk.ThreadPark" -> {
						String thread = pool(event.getThread("eventThread"));
						if (type.equals("jdk.ThreadPark") && !requestThread(thread)) {
							continue;
						}
						String key = type.substring(4) + " on " + thread + " in " + nearestOurs(event.getStackTrace());
						blocked.merge(key, event.getDuration().toNanos() / 1e6, Double::sum);
						blockedCount.merge(key, 1L, Long::sum);
					}
					case "jdk.ThreadStart" -> {
						threadsStarted++;
						RecordedStackTrace stack = event.getStackTrace();
						String by = (stack != null && !stack.getFrames().isEmpty()) ? method(stack.getFrames().get(0))
								: "(no stack)";
						started.merge(by + " from " + pool(event.getThread("parentThread")), 1L, Long::sum);
					}
					case "jdk.GarbageCollection" -> {
						gcs++;
						gcPauseMs += event.getDuration("sumOfPauses").toNanos() / 1e6;
					}
					default -> {
					}
				}
			}
			if (first != null) {
				recorded = recorded.plus(Duration.between(first, last));
			}
		}
		StringBuilder out = new StringBuilder();
		out.append("Recording: ").append(files).append(", ").append(recorded.toSeconds()).append(" s, ");
		out.append(samples).append(" CPU samples, ").append(gcs).append(" GCs, pauses ");
		out.append(String.format(Locale.ROOT, "%.0f", gcPauseMs)).append(" ms in all, ");
		out.append(threadsStarted).append(" threads started\n\n");
		table(out, "Threads started, by the frame that started them and the parent's pool", started, threadsStarted);
		table(out, "CPU samples by thread pool", threads, samples);
		table(out, "CPU samples by library of the top frame", libraries, samples);
		table(out, "CPU samples by top method", methods, samples);
		table(out, "CPU samples by the nearest ChatRelay frame (inclusive)", ours, samples);
		tableDouble(out, "Allocation (MiB, sampled) by the nearest ChatRelay frame", allocationBySite, (v) -> v);
		tableDouble(out, "Allocation (MiB, sampled) by class", allocationByClass, (v) -> v);
		out.append("#### Blocking above JFR's threshold (socket reads, monitor waits; parks on request threads)\n\n");
		out.append("| Where | Events | Total ms |\n|---|--:|--:|\n");
		blocked.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(TOP)
			.forEach((entry) -> out.append("| ")
				.append(entry.getKey())
				.append(" | ")
				.append(blockedCount.get(entry.getKey()))
				.append(" | ")
				.append(String.format(Locale.ROOT, "%.0f", entry.getValue()))
				.append(" |\n"));
		return out.toString();
	}

	private static boolean requestThread(String pool) {
		return pool.contains("exec") || pool.contains("Dubbo") || pool.contains("inbox") || pool.contains("tri")
				|| pool.contains("Netty") || pool.contains("HttpClient");
	}

	private static void table(StringBuilder out, String title, Map<String, Long> counts, long total) {
		TopTable.append(out, title, counts, total, TOP);
	}

	private static void tableDouble(StringBuilder out, String title, Map<String, Double> values,
			ToDoubleFunction<Double> show) {
		double total = values.values().stream().mapToDouble(Double::doubleValue).sum();
		out.append("#### ").append(title).append(String.format(Locale.ROOT, " (%.0f MiB in all)", total));
		out.append("\n\n| | MiB | Share |\n|---|--:|--:|\n");
		Map<String, Double> sorted = new LinkedHashMap<>();
		values.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(TOP)
			.forEach((entry) -> sorted.put(entry.getKey(), entry.getValue()));
		sorted.forEach((key, value) -> out.append("| `")
			.append(key)
			.append("` | ")
			.append(String.format(Locale.ROOT, "%.0f", show.applyAsDouble(value)))
			.append(" | ")
			.append(String.format(Locale.ROOT, "%.1f %%", 100 * value / Math.max(1e-9, total)))
			.append(" |\n"));
		out.append('\n');
	}

	/** A thread's pool: its name without trailing numbers. */
	static String pool(RecordedThread thread) {
		if (thread == null) {
			return "?";
		}
		String name = (thread.getJavaName() != null) ? thread.getJavaName() : thread.getOSName();
		return (name == null) ? "?" : name.replaceAll("[-_#]?\\d+", "-N").replaceAll("(-N)+", "-N");
	}

	private static String method(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static String library(String method) {
		for (String[] library : LIBRARIES) {
			if (method.startsWith(library[0])) {
				return library[1];
			}
		}
		return "other";
	}

	private static String nearestOurs(RecordedStackTrace stack) {
		if (stack == null) {
			return "(no stack)";
		}
		for (RecordedFrame frame : stack.getFrames()) {
			String method = method(frame);
			if (method.startsWith("io.chatrelay.")) {
				return method.substring("io.chatrelay.".length());
			}
		}
		return "(outside ChatRelay code)";
	}

	/**
	 * Write the summary of recordings to a file, or log it.
	 * @param args the JFR files, then optionally {@code --out=file.md}
	 * @return the markdown
	 * @throws IOException if a file cannot be read or written
	 */
	public static String run(List<String> args) throws IOException {
		List<Path> files = args.stream().filter((arg) -> !arg.startsWith("--")).map(Path::of).toList();
		String markdown = summarise(files);
		for (String arg : args) {
			if (arg.startsWith("--out=")) {
				Files.writeString(Path.of(arg.substring(6)), markdown);
			}
		}
		return markdown;
	}

}
