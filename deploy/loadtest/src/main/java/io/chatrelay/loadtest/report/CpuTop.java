package io.chatrelay.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a node's CPU went, from async-profiler's collapsed stacks (recorded with
 * {@code threads}: the first frame is the thread): by thread pool, by kind of the top
 * frame (Java library, JIT compiler, GC, kernel, native), and inclusive by frames that
 * matter (ChatRelay code, Redis, Dubbo, Tomcat, logging, metrics, JSON).
 */
public final class CpuTop {

	private static final int TOP = 20;

	private static final String[][] INCLUSIVE = { { "io/chatrelay/", "ChatRelay code (inclusive)" },
			{ "redis/clients/", "Jedis (inclusive)" }, { "org/apache/dubbo/", "Dubbo (inclusive)" },
			{ "io/netty/", "Netty (inclusive)" }, { "org/apache/catalina/", "Tomcat (inclusive)" },
			{ "org/springframework/web/", "Spring MVC (inclusive)" }, { "ch/qos/logback/", "Logback (inclusive)" },
			{ "io/micrometer/", "Micrometer (inclusive)" }, { "com/fasterxml/jackson/", "Jackson (inclusive)" },
			{ "com/alibaba/com/caucho/hessian/", "Hessian (inclusive)" },
			{ "jdk/internal/net/http/", "JDK HttpClient (inclusive)" },
			{ "java/lang/Thread.start", "Thread.start (inclusive)" }, { "NetUtils", "Dubbo NetUtils (inclusive)" } };

	private CpuTop() {
	}

	static String summarise(Path file) throws IOException {
		Map<String, Long> pools = new HashMap<>();
		Map<String, Long> kinds = new HashMap<>();
		Map<String, Long> tops = new HashMap<>();
		Map<String, Long> inclusive = new HashMap<>();
		Map<String, Long> ours = new HashMap<>();
		long total = 0;
		for (String line : Files.readAllLines(file)) {
			int space = line.lastIndexOf(' ');
			if (space < 0) {
				continue;
			}
			long count = Long.parseLong(line.substring(space + 1).trim());
			String[] frames = line.substring(0, space).split(";");
			total += count;
			String thread = frames[0].replaceAll("^\\[|\\]$", "").replaceAll(" tid=\\d+", "");
			pools.merge(thread.replaceAll("[-_#]?\\d+", "-N").replaceAll("(-N)+", "-N"), count, Long::sum);
			String top = frames[frames.length - 1];
			tops.merge(top, count, Long::sum);
			kinds.merge(kind(top, frames), count, Long::sum);
			String stack = line.substring(0, space);
			for (String[] marker : INCLUSIVE) {
				if (stack.contains(marker[0])) {
					inclusive.merge(marker[1], count, Long::sum);
				}
			}
			for (int i = frames.length - 1; i >= 0; i--) {
				if (frames[i].startsWith("io/chatrelay/")) {
					ours.merge(frames[i], count, Long::sum);
					break;
				}
			}
		}
		StringBuilder out = new StringBuilder("async-profiler CPU samples (1 ms): " + total + "\n\n");
		table(out, "By thread pool", pools, total);
		table(out, "By kind of the top frame", kinds, total);
		table(out, "Inclusive", inclusive, total);
		table(out, "By the innermost ChatRelay frame (inclusive)", ours, total);
		table(out, "By top frame", tops, total);
		return out.toString();
	}

	private static String kind(String top, String[] frames) {
		String thread = frames[0];
		if (thread.contains("CompilerThread") || thread.contains("C1 ") || thread.contains("C2 ")) {
			return "JIT compiler";
		}
		if (thread.contains("GC") || thread.contains("G1 ") || thread.contains("VM Thread")) {
			return "GC / VM";
		}
		if (top.endsWith("_[k]")) {
			return "kernel";
		}
		if (top.endsWith("_[j]") || top.endsWith("_[i]") || top.endsWith("_[0]") || top.contains("/")) {
			return "Java";
		}
		return "native (JVM, libc)";
	}

	private static void table(StringBuilder out, String title, Map<String, Long> counts, long total) {
		TopTable.append(out, title, counts, total, TOP);
	}

	public static String run(List<String> args) throws IOException {
		String markdown = summarise(Path.of(args.get(0)));
		for (String arg : args) {
			if (arg.startsWith("--out=")) {
				Files.writeString(Path.of(arg.substring(6)), markdown);
			}
		}
		return markdown;
	}

}
