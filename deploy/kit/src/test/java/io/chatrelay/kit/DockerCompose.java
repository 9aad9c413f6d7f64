package io.chatrelay.kit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * docker-compose itself, asked about the compose files ({@code config}): it reads them as
 * an operator's {@code up} would, without a container engine. Debian's docker-compose
 * 1.29 is the oldest we support; {@code .ci/run} installs it.
 */
final class DockerCompose {

	private static final String COMMAND = "docker-compose";

	private final Path executable;

	private DockerCompose(Path executable) {
		this.executable = executable;
	}

	/**
	 * The docker-compose on the PATH. Without one the calling test is skipped, or fails
	 * under {@code CI=true}, where it must run.
	 * @return docker-compose
	 */
	static DockerCompose require() {
		Optional<Path> executable = find();
		if (executable.isEmpty()) {
			String reason = COMMAND + " is not on the PATH, so the compose files were not checked by it "
					+ "(Debian: apt-get install docker-compose; .ci/run does)";
			if ("true".equals(System.getenv("CI"))) {
				Assertions.fail(reason);
			}
			Assumptions.abort(reason);
		}
		return new DockerCompose(executable.get());
	}

	/**
	 * {@code docker-compose --env-file ENV -f FILE... config [options]}, run in the
	 * directory of the first file.
	 * @param envFile the file of variables (an operator's {@code .env})
	 * @param unset variables to take out of the environment docker-compose inherits (they
	 * would win over the env file)
	 * @param files the compose files, base first
	 * @param options options of {@code config}, such as {@code -q}
	 * @return its exit code and output
	 */
	Result config(Path envFile, Collection<String> unset, List<Path> files, String... options) {
		List<String> command = new ArrayList<>(
				List.of(this.executable.toString(), "--env-file", envFile.toAbsolutePath().toString()));
		for (Path file : files) {
			command.add("-f");
			command.add(file.toAbsolutePath().toString());
		}
		command.add("config");
		command.addAll(List.of(options));
		ProcessBuilder builder = new ProcessBuilder(command).directory(files.get(0).getParent().toFile())
			.redirectErrorStream(true);
		unset.forEach(builder.environment()::remove);
		try {
			Path output = Files.createTempFile("docker-compose", ".out");
			try {
				Process process = builder.redirectOutput(output.toFile()).start();
				if (!process.waitFor(120, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
				}
				return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(output);
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

	private static Optional<Path> find() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, COMMAND);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * What docker-compose answered.
	 *
	 * @param exitCode its exit code
	 * @param output its standard output and error
	 */
	record Result(int exitCode, String output) {

	}

}
