package io.chatrelay.kit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A tool of this machine that the kit's checks run (docker-compose, kubectl): found on
 * the PATH, run with a time limit, its output and errors captured apart.
 */
final class ExternalCommand {

	private static final long TIMEOUT_SECONDS = 120;

	private ExternalCommand() {
	}

	/**
	 * The tool on the PATH. Without it the calling test is skipped with the reason, or
	 * fails under {@code CI=true}, where it must run.
	 * @param name the executable's name
	 * @param reason why the check needs it and how to get it, for the skip or the failure
	 * @return its path
	 */
	static Path require(String name, String reason) {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				Path candidate = Path.of(dir, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		String message = name + " is not on the PATH: " + reason;
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			Assertions.fail(message);
		}
		Assumptions.abort(message);
		throw new IllegalStateException(message);
	}

	/**
	 * Run a command to its end (at most 120 s).
	 * @param command the command line
	 * @param directory where it runs
	 * @param unset variables taken out of the environment it inherits
	 * @return its exit code, output and errors
	 */
	static Result run(List<String> command, Path directory, Collection<String> unset) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
		unset.forEach(builder.environment()::remove);
		try {
			Path out = Files.createTempFile("kit-command", ".out");
			Path err = Files.createTempFile("kit-command", ".err");
			try {
				Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
				if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					Assertions.fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
				}
				return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
						Files.readString(err, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What a command answered.
	 *
	 * @param exitCode its exit code
	 * @param output its standard output
	 * @param errors its standard error
	 */
	record Result(int exitCode, String output, String errors) {

	}

}
