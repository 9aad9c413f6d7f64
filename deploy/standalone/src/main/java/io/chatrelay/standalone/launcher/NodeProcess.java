package io.chatrelay.standalone.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.chatrelay.standalone.infra.LogTail;
import io.chatrelay.standalone.infra.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ChatRelay node (a Spring Boot fat jar) as a child JVM: started with the node
 * command-line contract, its stdout and stderr appended to {@code <logDir>/<name>.log},
 * ready when {@code GET http://127.0.0.1:<httpPort>/actuator/health/readiness} answers
 * 200.
 *
 * <p>
 * Every node JVM gets {@code -Ddubbo.network.interface.ignored=.*} (Dubbo stays on
 * 127.0.0.1), {@code -Ddubbo.application.qos-enable=false}, {@code user.home} and
 * {@code java.io.tmpdir} inside its own work directory, a heap cap and, on JDK 21 and
 * later, {@code -Ddubbo.json-framework.prefer=fastjson2} (see DESIGN.md section 7).
 * Secrets in the command line are masked in every log line.
 */
public final class NodeProcess implements AutoCloseable {

	/** Where Spring Boot answers the readiness probe. */
	public static final String READINESS_PATH = "/actuator/health/readiness";

	/** Grace period of {@link #close()}. */
	public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(20);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	private static final Duration KILL_WAIT = Duration.ofSeconds(10);

	private static final int LOG_TAIL_LINES = 40;

	private static final Logger log = LoggerFactory.getLogger(NodeProcess.class);

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(1))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final String name;

	private final int httpPort;

	private final Process process;

	private final Path logFile;

	private final URI readinessUri;

	private NodeProcess(String name, int httpPort, Process process, Path logFile, URI readinessUri) {
		this.name = name;
		this.httpPort = httpPort;
		this.process = process;
		this.logFile = logFile;
		this.readinessUri = readinessUri;
	}

	/**
	 * A node with no contract properties yet.
	 * @param name the node name, used for its log file and work directory
	 * @param jar the Spring Boot fat jar
	 * @param httpPort the HTTP port ({@code server.port}) that serves the readiness probe
	 * @return a builder
	 */
	public static Builder builder(String name, Path jar, int httpPort) {
		return new Builder(name, jar, httpPort).property("server.port", Integer.toString(httpPort));
	}

	/**
	 * A chat-provider node with the provider command-line contract.
	 * @param name the node name, e.g. {@code provider-1}
	 * @param jar {@code chat-provider.jar}
	 * @param actuatorPort {@code server.port}
	 * @param dubboPort {@code dubbo.protocol.port}
	 * @param registryAddress {@code dubbo.registry.address}
	 * @param openAiBaseUrl {@code chat.provider.model.openai.base-url}, ending in
	 * {@code /v1}
	 * @param openAiApiKey {@code chat.provider.model.openai.api-key}
	 * @return a builder; add properties or JVM arguments, then start it
	 */
	public static Builder provider(String name, Path jar, int actuatorPort, int dubboPort, String registryAddress,
			String openAiBaseUrl, String openAiApiKey) {
		return builder(name, jar, actuatorPort).property("dubbo.protocol.port", Integer.toString(dubboPort))
			.property("dubbo.registry.address", registryAddress)
			.property("chat.provider.model.openai.base-url", openAiBaseUrl)
			.property("chat.provider.model.openai.api-key", openAiApiKey);
	}

	/**
	 * A chat-client node with the client command-line contract.
	 * @param name the node name, e.g. {@code client-1}
	 * @param jar {@code chat-client.jar}
	 * @param httpPort {@code server.port} (web channel, webhooks and actuator)
	 * @param registryAddress {@code dubbo.registry.address}
	 * @param redisUrl {@code chat.client.redis.url}
	 * @param tenantId {@code chat.client.tenant-id}
	 * @return a builder; add properties or JVM arguments, then start it
	 */
	public static Builder client(String name, Path jar, int httpPort, String registryAddress, String redisUrl,
			String tenantId) {
		return builder(name, jar, httpPort).property("dubbo.registry.address", registryAddress)
			.property("chat.client.redis.url", redisUrl)
			.property("chat.client.tenant-id", tenantId);
	}

	/**
	 * The node name.
	 * @return the name given to the builder
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The HTTP port serving the readiness probe.
	 * @return {@code server.port}
	 */
	public int httpPort() {
		return this.httpPort;
	}

	/**
	 * The operating-system process id.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Whether the process is running.
	 * @return {@code true} until it exits
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * The exit code, once the process has exited.
	 * @return the exit code, or empty while it runs
	 */
	public OptionalInt exitCode() {
		return this.process.isAlive() ? OptionalInt.empty() : OptionalInt.of(this.process.exitValue());
	}

	/**
	 * Completes with the exit code when the process exits, for whatever reason.
	 * @return a future of the exit code
	 */
	public CompletableFuture<Integer> onExit() {
		return this.process.onExit().thenApply(Process::exitValue);
	}

	/**
	 * The file that receives the node's stdout and stderr.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * The last lines of the node's log.
	 * @param lines how many lines at most
	 * @return the lines, each ending in a newline
	 */
	public String logTail(int lines) {
		return LogTail.of(this.logFile, lines);
	}

	/**
	 * Poll the readiness probe every 200 ms until it answers 200.
	 * @param timeout how long to wait
	 * @return this node
	 * @throws NodeStartException if the process exits or the time runs out, with the last
	 * 40 lines of its log
	 */
	public NodeProcess awaitReady(Duration timeout) {
		long started = System.nanoTime();
		long deadline = started + timeout.toNanos();
		HttpRequest probe = HttpRequest.newBuilder(this.readinessUri).timeout(Duration.ofSeconds(2)).GET().build();
		String lastAnswer = "no answer";
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw failure("exited with code " + this.process.exitValue() + " before it was ready");
			}
			try {
				int status = HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status == 200) {
					log.info("{} ready in {} ms (pid {}, port {})", this.name,
							TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), pid(), this.httpPort);
					return this;
				}
				lastAnswer = "HTTP " + status;
			}
			catch (IOException ex) {
				lastAnswer = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw failure("was still starting when the wait was interrupted");
			}
			if (!sleep(POLL_INTERVAL)) {
				throw failure("was still starting when the wait was interrupted");
			}
		}
		throw failure(
				"was not ready after " + timeout.toSeconds() + " s (" + this.readinessUri + ": " + lastAnswer + ")");
	}

	/**
	 * Stop gracefully: SIGTERM, wait up to {@code grace}, then SIGKILL.
	 * @param grace how long the node may take to shut down
	 * @return the exit code, or -1 if the process could not be reaped
	 */
	public int stop(Duration grace) {
		if (this.process.isAlive()) {
			log.info("Stopping {} (pid {})", this.name, pid());
			this.process.destroy();
			if (!waitFor(grace)) {
				log.warn("{} (pid {}) did not stop within {} s: killing it", this.name, pid(), grace.toSeconds());
				this.process.destroyForcibly();
				waitFor(KILL_WAIT);
			}
		}
		return exitCode().orElse(-1);
	}

	/**
	 * Kill at once (SIGKILL), as a crash would, and wait for the process to go.
	 */
	public void kill() {
		if (this.process.isAlive()) {
			log.info("Killing {} (pid {})", this.name, pid());
			this.process.destroyForcibly();
			waitFor(KILL_WAIT);
		}
	}

	/**
	 * Stop gracefully within {@link #DEFAULT_STOP_GRACE}.
	 */
	@Override
	public void close() {
		stop(DEFAULT_STOP_GRACE);
	}

	@Override
	public String toString() {
		return this.name + " (pid " + pid() + ", port " + this.httpPort + ")";
	}

	private boolean waitFor(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
			return false;
		}
	}

	private NodeStartException failure(String reason) {
		return new NodeStartException(this.name, reason + "; log: " + this.logFile, logTail(LOG_TAIL_LINES));
	}

	private static boolean sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * The command line, work directory and log location of one node.
	 */
	public static final class Builder {

		private static final String DEFAULT_MAX_HEAP = "384m";

		private final String name;

		private final Path jar;

		private final int httpPort;

		private final Map<String, String> properties = new LinkedHashMap<>();

		private final List<String> jvmArgs = new ArrayList<>();

		private final Map<String, String> environment = new LinkedHashMap<>();

		private Path workDir;

		private Path logDir;

		private String maxHeap = DEFAULT_MAX_HEAP;

		private String readinessPath = READINESS_PATH;

		private Builder(String name, Path jar, int httpPort) {
			this.name = Objects.requireNonNull(name, "name");
			this.jar = Objects.requireNonNull(jar, "jar").toAbsolutePath();
			this.httpPort = httpPort;
		}

		/**
		 * The node's own directory: its {@code user.home}, current directory and (under
		 * {@code tmp/}) {@code java.io.tmpdir}. Default:
		 * {@code ${java.io.tmpdir}/chatrelay-nodes/<name>}.
		 * @param workDir the directory (created if missing)
		 * @return this builder
		 */
		public Builder workDir(Path workDir) {
			this.workDir = workDir.toAbsolutePath();
			return this;
		}

		/**
		 * Where {@code <name>.log} goes. Default: the work directory.
		 * @param logDir the directory (created if missing)
		 * @return this builder
		 */
		public Builder logDir(Path logDir) {
			this.logDir = logDir.toAbsolutePath();
			return this;
		}

		/**
		 * The heap cap ({@code -Xmx}), default {@value #DEFAULT_MAX_HEAP}.
		 * @param maxHeap e.g. {@code 512m}
		 * @return this builder
		 */
		public Builder maxHeap(String maxHeap) {
			this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
			return this;
		}

		/**
		 * An extra JVM argument, after the standard ones.
		 * @param jvmArg e.g. {@code -Dfoo=bar}
		 * @return this builder
		 */
		public Builder jvmArg(String jvmArg) {
			this.jvmArgs.add(Objects.requireNonNull(jvmArg, "jvmArg"));
			return this;
		}

		/**
		 * A {@code --key=value} application argument; a later value for the same key
		 * replaces an earlier one.
		 * @param key the property name
		 * @param value the value
		 * @return this builder
		 */
		public Builder property(String key, String value) {
			this.properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
			return this;
		}

		/**
		 * Several {@code --key=value} application arguments.
		 * @param properties the properties, in order
		 * @return this builder
		 */
		public Builder properties(Map<String, String> properties) {
			properties.forEach(this::property);
			return this;
		}

		/**
		 * An environment variable of the node process.
		 * @param name the variable
		 * @param value its value
		 * @return this builder
		 */
		public Builder environment(String name, String value) {
			this.environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
			return this;
		}

		/**
		 * The readiness path, default {@value NodeProcess#READINESS_PATH}.
		 * @param readinessPath the path on {@code http://127.0.0.1:<httpPort>}
		 * @return this builder
		 */
		public Builder readinessPath(String readinessPath) {
			this.readinessPath = Objects.requireNonNull(readinessPath, "readinessPath");
			return this;
		}

		/**
		 * Launch the JVM; use {@link NodeProcess#awaitReady(Duration)} to wait for it.
		 * @return the running process
		 * @throws IOException if the jar is missing or the process cannot start
		 */
		public NodeProcess start() throws IOException {
			if (!Files.isRegularFile(this.jar)) {
				throw new IOException("Node jar " + this.jar + " not found for " + this.name);
			}
			Path work = workDirectory();
			Path logs = (this.logDir != null) ? this.logDir : work;
			Files.createDirectories(work.resolve("tmp"));
			Files.createDirectories(logs);
			Path logFile = logs.resolve(this.name + ".log");
			List<String> command = command();
			String shown = command.stream().map(Secrets::maskArgument).collect(Collectors.joining(" "));
			Files.writeString(logFile, "==== " + OffsetDateTime.now() + " starting " + this.name + ": " + shown + "\n",
					StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
			builder.environment().putAll(this.environment);
			Process process = builder.start();
			log.info("Started {} (pid {}, port {}), log: {}", this.name, process.pid(), this.httpPort, logFile);
			log.debug("{} command: {}", this.name, shown);
			URI readiness = URI.create("http://" + Ports.LOOPBACK + ":" + this.httpPort + this.readinessPath);
			return new NodeProcess(this.name, this.httpPort, process, logFile, readiness);
		}

		/**
		 * The full command line this builder launches.
		 * @return {@code java <jvm args> -jar <jar> --key=value ...}
		 */
		List<String> command() {
			Path work = workDirectory();
			List<String> command = new ArrayList<>();
			command.add(javaExecutable());
			command.add("-Xmx" + this.maxHeap);
			command.add("-Ddubbo.network.interface.ignored=.*");
			command.add("-Ddubbo.application.qos-enable=false");
			command.add("-Duser.home=" + work);
			command.add("-Djava.io.tmpdir=" + work.resolve("tmp"));
			if (Runtime.version().feature() >= 21) {
				command.add("-Ddubbo.json-framework.prefer=fastjson2");
			}
			command.addAll(this.jvmArgs);
			command.add("-jar");
			command.add(this.jar.toString());
			this.properties.forEach((key, value) -> command.add("--" + key + "=" + value));
			return command;
		}

		private Path workDirectory() {
			return (this.workDir != null) ? this.workDir
					: Path.of(System.getProperty("java.io.tmpdir"), "chatrelay-nodes", this.name).toAbsolutePath();
		}

		private static String javaExecutable() {
			Path fromHome = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
			if (Files.isExecutable(fromHome)) {
				return fromHome.toString();
			}
			return ProcessHandle.current()
				.info()
				.command()
				.orElseThrow(() -> new UncheckedIOException(
						new IOException("Cannot find the java executable (java.home=" + fromHome + ")")));
		}

		private static File nullDevice() {
			return new File(isWindows() ? "NUL" : "/dev/null");
		}

		private static boolean isWindows() {
			return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
		}

	}

}
