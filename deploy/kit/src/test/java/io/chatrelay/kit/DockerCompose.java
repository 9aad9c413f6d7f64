package io.chatrelay.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
		return new DockerCompose(ExternalCommand.require(COMMAND, "the compose files were not checked by it "
				+ "(Debian: apt-get install docker-compose; .ci/run does)"));
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
		ExternalCommand.Result result = ExternalCommand.run(command, files.get(0).getParent(), unset);
		return new Result(result.exitCode(), result.output() + result.errors());
	}

	/**
	 * What docker-compose answered.
	 *
	 * @param exitCode its exit code
	 * @param output its standard output, then its standard error
	 */
	record Result(int exitCode, String output) {

	}

}
