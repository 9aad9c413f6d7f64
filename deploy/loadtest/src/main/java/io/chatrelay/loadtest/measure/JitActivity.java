package io.chatrelay.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU the JIT compilers of one JVM use: {@code utime + stime} of its threads named
 * {@code C1 CompilerThre…} and {@code C2 CompilerThre…} ({@code /proc/<pid>/task}). A
 * node whose compilers still take a good share of a core is not at its steady state, and
 * a run measured then reports the JIT's warm-up, not the node.
 */
public final class JitActivity {

	private final long pid;

	private Map<Long, Long> ticks;

	private long since;

	/**
	 * Start watching a JVM.
	 * @param pid its process id
	 */
	public JitActivity(long pid) {
		this.pid = pid;
		this.ticks = compilerTicks(pid);
		this.since = System.nanoTime();
	}

	/**
	 * The cores the compilers used since the previous call (or the start), and start
	 * again from now. Compiler threads that ended meanwhile are not counted.
	 * @return cores, e.g. 0.25 for a quarter of one core
	 */
	public double coresSinceLast() {
		Map<Long, Long> now = compilerTicks(this.pid);
		long nanos = System.nanoTime() - this.since;
		long used = 0;
		for (Map.Entry<Long, Long> thread : now.entrySet()) {
			used += thread.getValue() - this.ticks.getOrDefault(thread.getKey(), 0L);
		}
		this.ticks = now;
		this.since = System.nanoTime();
		return (nanos <= 0) ? 0 : Math.max(0, used / CpuMeter.TICKS / (nanos / 1e9));
	}

	/**
	 * CPU ticks of each live compiler thread.
	 * @param pid the JVM
	 * @return thread id to ticks; empty if the process is gone or not on Linux
	 */
	static Map<Long, Long> compilerTicks(long pid) {
		Map<Long, Long> ticks = new HashMap<>();
		if (pid <= 0) {
			return ticks;
		}
		try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
			tasks.forEach((task) -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
						ticks.put(Long.parseLong(task.getFileName().toString()), CpuMeter.ticks(stat));
					}
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended while listed
				}
			});
		}
		catch (IOException ex) {
			return ticks;
		}
		return ticks;
	}

}
