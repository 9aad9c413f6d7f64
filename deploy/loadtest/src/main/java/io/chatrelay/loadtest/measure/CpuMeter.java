package io.chatrelay.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU used during a run, per process ({@code utime + stime} of {@code /proc/<pid>/stat})
 * and by the whole machine ({@code /proc/stat}), in cores: on a shared 2-core machine
 * this says how much of the CPU the system under test had, and how much went to others.
 */
public final class CpuMeter {

	/** Clock ticks per second of {@code /proc} times (USER_HZ, 100 on Linux). */
	static final double TICKS = 100.0;

	private final Map<String, Long> pids;

	private final Map<String, Long> startTicks = new LinkedHashMap<>();

	private final long startNanos;

	private final long[] machineStart;

	/**
	 * Start measuring.
	 * @param pids name to process id (0 or unknown ones are skipped)
	 */
	public CpuMeter(Map<String, Long> pids) {
		this.pids = new LinkedHashMap<>(pids);
		this.pids.forEach((name, pid) -> this.startTicks.put(name, processTicks(pid)));
		this.machineStart = machineTicks();
		this.startNanos = System.nanoTime();
	}

	/**
	 * Cores used since the start, per process, then {@code machine} (all processes) and
	 * {@code others} (the machine minus the named processes).
	 * @return name to cores, with two decimals
	 */
	public Map<String, Double> cores() {
		double seconds = (System.nanoTime() - this.startNanos) / 1e9;
		Map<String, Double> cores = new LinkedHashMap<>();
		double ours = 0;
		for (Map.Entry<String, Long> entry : this.pids.entrySet()) {
			long used = processTicks(entry.getValue()) - this.startTicks.get(entry.getKey());
			double value = used / TICKS / seconds;
			ours += value;
			cores.put(entry.getKey(), round(value));
		}
		long[] machineEnd = machineTicks();
		double machine = (machineEnd[0] - this.machineStart[0]) / TICKS / seconds;
		cores.put("machine", round(machine));
		cores.put("others", round(Math.max(0, machine - ours)));
		return cores;
	}

	/**
	 * The cores as one line for a report.
	 * @param cores from {@link #cores()}
	 * @return e.g. {@code client 0.61, provider 0.40, ...}
	 */
	public static String text(Map<String, Double> cores) {
		StringBuilder out = new StringBuilder();
		cores.forEach((name, value) -> out.append((out.length() > 0) ? ", " : "")
			.append(name)
			.append(' ')
			.append(String.format(Locale.ROOT, "%.2f", value)));
		return out.toString();
	}

	static long processTicks(long pid) {
		if (pid <= 0) {
			return 0;
		}
		try {
			return ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * {@code utime + stime} of a process's or a thread's {@code stat} line.
	 * @param stat the line
	 * @return clock ticks
	 */
	static long ticks(String stat) {
		// The command name may hold spaces: fields count from after its closing paren.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/** {busy ticks, all ticks} of the whole machine. */
	static long[] machineTicks() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long all = 0;
			for (int i = 1; i < fields.length; i++) {
				all += Long.parseLong(fields[i]);
			}
			long idle = Long.parseLong(fields[4]) + ((fields.length > 5) ? Long.parseLong(fields[5]) : 0);
			return new long[] { all - idle, all };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { 0, 0 };
		}
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
