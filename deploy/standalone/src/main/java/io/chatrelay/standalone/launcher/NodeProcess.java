package io.chatrelay.standalone.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.chatrelay.standalone.infra.LogTail;
import io.chatrelay.standalone.infra.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ChatRelay node (a Spring Boot fat jar) as a child JVM: started with the node
 * command-line contract, its stdout and stderr appended to {@code <logDir>/<name>.log},
 * ready when {@code GET http://127.0.0.1:<httpPort>/actuator/health/readiness} answers
 * 200. The JVM's command line is a {@link NodeCommand}: start from {@link #provider},
 * {@link #client} or {@link #builder}.
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

	private final NodeManagement management;

	NodeProcess(String name, int httpPort, Process process, Path logFile, URI readinessUri, NodeManagement management) {
		this.name = name;
		this.httpPort = httpPort;
		this.process = process;
		this.logFile = logFile;
		this.readinessUri = readinessUri;
		this.management = management;
	}

	/**
	 * A node with no contract properties yet.
	 * @param name the node name, used for its log file and work directory
	 * @param jar the Spring Boot fat jar
	 * @param httpPort the HTTP port ({@code server.port}) that serves the readiness probe
	 * @return the command, to complete and start
	 */
	public static NodeCommand builder(String name, Path jar, int httpPort) {
		return new NodeCommand(name, jar, httpPort).property("server.port", Integer.toString(httpPort));
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
	 * @return the command; add properties or JVM arguments, then start it
	 */
	public static NodeCommand provider(String name, Path jar, int actuatorPort, int dubboPort, String registryAddress,
			String openAiBaseUrl, String openAiApiKey) {
		return builder(name, jar, actuatorPort).property("dubbo.protocol.port", Integer.toString(dubboPort))
			.property("dubbo.registry.address", registryAddress)
			.property("chat.provider.model.openai.base-url", openAiBaseUrl)
			.property("chat.provider.model.openai.api-key", openAiApiKey)
			.providerManagement(NodeManagement.generate(actuatorPort));
	}

	/**
	 * A chat-client node with the client command-line contract.
	 * @param name the node name, e.g. {@code client-1}
	 * @param jar {@code chat-client.jar}
	 * @param httpPort {@code server.port} (web channel, webhooks and actuator)
	 * @param registryAddress {@code dubbo.registry.address}
	 * @param redisUrl {@code chat.client.redis.url}
	 * @param tenantId {@code chat.client.tenant-id}
	 * @return the command; add properties or JVM arguments, then start it
	 */
	public static NodeCommand client(String name, Path jar, int httpPort, String registryAddress, String redisUrl,
			String tenantId) {
		return builder(name, jar, httpPort).property("dubbo.registry.address", registryAddress)
			.property("chat.client.redis.url", redisUrl)
			.property("chat.client.tenant-id", tenantId)
			.management(NodeManagement.generate(Ports.freePort()));
	}

	/**
	 * The node name.
	 * @return the name given to the command
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
	 * The management endpoints of the node: a client's management port, a provider's
	 * actuator port, with their credentials.
	 * @return the port and credentials, or {@code null} for a node started without them
	 */
	public NodeManagement management() {
		return this.management;
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

}
