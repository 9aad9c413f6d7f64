package io.chatrelay.loadtest.measure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java Flight Recorder on the node JVMs, through {@code jcmd}: started after the warm-up,
 * stopped (and written) after the measured run, so the profile holds only the load.
 */
public final class Profiler {

	private static final Logger log = LoggerFactory.getLogger(Profiler.class);

	private static final String NAME = "loadtest";

	private Profiler() {
	}

	public static void start(long pid, Path file) {
		jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile", "filename=" + file);
	}

	public static void stop(long pid) {
		jcmd(pid, "JFR.stop", "name=" + NAME);
	}

	/**
	 * Start async-profiler (CPU, with native and kernel frames, per thread) in a node.
	 * The options are quoted: jcmd would read {@code event=cpu} as its own key=value.
	 * @param pid the node
	 * @param library {@code libasyncProfiler.so}
	 */
	public static void startAsyncProfiler(long pid, Path library) {
		jcmd(pid, "JVMTI.agent_load", library.toString(), "\"start,event=cpu,interval=1ms,threads\"");
	}

	/**
	 * Stop async-profiler and write collapsed stacks.
	 * @param pid the node
	 * @param library {@code libasyncProfiler.so}
	 * @param file where the collapsed stacks go
	 */
	public static void stopAsyncProfiler(long pid, Path library, Path file) {
		jcmd(pid, "JVMTI.agent_load", library.toString(), "\"stop,file=" + file + ",collapsed\"");
	}

	private static void jcmd(long pid, String... command) {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		List<String> line = new java.util.ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
		line.addAll(List.of(command));
		try {
			// A node in a full-GC spiral can keep jcmd waiting for minutes: never wait
			// for
			// it longer than a minute, and never block on its output.
			java.io.File output = java.io.File.createTempFile("jcmd", ".txt");
			Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output).start();
			boolean exited = process.waitFor(60, TimeUnit.SECONDS);
			if (!exited) {
				process.destroyForcibly();
			}
			String text = java.nio.file.Files.readString(output.toPath()).strip().replace('\n', ' ');
			output.delete();
			if (!exited || process.exitValue() != 0) {
				log.warn("{} failed{}: {}", line, exited ? "" : " (no answer within 60 s)", text);
			}
			else {
				log.info("{}: {}", String.join(" ", command), text);
			}
		}
		catch (IOException ex) {
			log.warn("{} failed: {}", line, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
