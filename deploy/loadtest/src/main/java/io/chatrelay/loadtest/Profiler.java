package io.chatrelay.loadtest;

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
final class Profiler {

	private static final Logger log = LoggerFactory.getLogger(Profiler.class);

	private static final String NAME = "loadtest";

	private Profiler() {
	}

	static void start(long pid, Path file) {
		jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile", "filename=" + file);
	}

	static void stop(long pid) {
		jcmd(pid, "JFR.stop", "name=" + NAME);
	}

	private static void jcmd(long pid, String... command) {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		List<String> line = new java.util.ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
		line.addAll(List.of(command));
		try {
			Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				log.warn("{} failed: {}", line, output.strip());
			}
			else {
				log.info("{}: {}", String.join(" ", command), output.strip().replace('\n', ' '));
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
