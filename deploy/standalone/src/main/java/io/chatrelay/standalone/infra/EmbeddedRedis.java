package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} 6.2 child process (the binary shipped inside
 * {@code com.github.codemonstur:embedded-redis}) on 127.0.0.1, persisting to an
 * append-only file so that a {@link #stop()} and {@link #start()} keep the data, as a
 * Redis restart in production would.
 *
 * <p>
 * The library's builder writes the configuration and extracts the binary; this class runs
 * the process itself, so that it logs to {@code redis-server.log} in the data directory
 * and is stopped only when its owner says so (the library's own shutdown hook would stop
 * Redis before the nodes that use it). Where the bundled binary cannot run (an
 * unsupported OS or CPU, missing libraries), start fails with a message saying to run a
 * Redis of your own and set {@code REDIS_URL}.
 */
public final class EmbeddedRedis implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

	private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

	private final int port;

	private final Path dataDir;

	private final List<String> command;

	private Process process;

	private EmbeddedRedis(int port, Path dataDir, List<String> command) {
		this.port = port;
		this.dataDir = dataDir;
		this.command = List.copyOf(command);
	}

	/**
	 * Start {@code redis-server} on {@code 127.0.0.1:port} with {@code appendonly yes}
	 * and its files in {@code dataDir}.
	 * @param port the port, or 0 for a free one (kept across restarts)
	 * @param dataDir the Redis working directory (created if missing)
	 * @return the running server
	 * @throws IOException if the data directory cannot be created or the port is taken
	 * @throws IllegalStateException if the process does not start (for example the binary
	 * cannot run on this machine)
	 */
	public static EmbeddedRedis start(int port, Path dataDir) throws IOException {
		return start(port, dataDir, List.of());
	}

	/**
	 * Start {@code redis-server} as {@link #start(int, Path)} does, with more settings: a
	 * replica ({@code replicaof}), a cluster node ({@code cluster-enabled yes}), ACL
	 * users and passwords.
	 * @param port the port, or 0 for a free one (kept across restarts)
	 * @param dataDir the Redis working directory (created if missing)
	 * @param settings more {@code redis.conf} lines
	 * @return the running server
	 * @throws IOException if the data directory cannot be created or the port is taken
	 */
	public static EmbeddedRedis start(int port, Path dataDir, List<String> settings) throws IOException {
		return launch(port, dataDir, settings, false);
	}

	/**
	 * Start a Redis Sentinel ({@code redis-server <conf> --sentinel}) on
	 * {@code 127.0.0.1:port}; it rewrites its configuration file in {@code dataDir}.
	 * @param port the port, or 0 for a free one
	 * @param dataDir its working directory (created if missing)
	 * @param settings its configuration lines ({@code sentinel monitor …} and the like)
	 * @return the running sentinel
	 * @throws IOException if the directory cannot be created or the port is taken
	 */
	public static EmbeddedRedis sentinel(int port, Path dataDir, List<String> settings) throws IOException {
		return launch(port, dataDir, settings, true);
	}

	private static EmbeddedRedis launch(int port, Path dataDir, List<String> settings, boolean sentinel)
			throws IOException {
		int actualPort = (port != 0) ? port : Ports.freePort();
		if (!Ports.isFree(actualPort)) {
			throw new IOException("Redis cannot listen on " + Ports.LOOPBACK + ":" + actualPort + ": port in use");
		}
		Path dir = dataDir.toAbsolutePath();
		Files.createDirectories(dir);
		List<String> command;
		try {
			var builder = RedisServer.newRedisServer()
				.bind(Ports.LOOPBACK)
				.port(actualPort)
				.setting("dir " + quoted(dir.toString()))
				.setting("protected-mode yes")
				.setting("daemonize no");
			if (!sentinel) {
				builder.setting("appendonly yes").setting("appendfsync everysec");
			}
			settings.forEach(builder::setting);
			command = new ArrayList<>(builder.buildCommandArgs());
		}
		catch (IOException | RuntimeException ex) {
			throw cannotRun(ex.toString(), ex);
		}
		if (sentinel) {
			// The sentinel rewrites its configuration: give it its own writable copy.
			Path conf = dir.resolve("sentinel.conf");
			Files.copy(Path.of(command.get(1)), conf, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			command = List.of(command.get(0), conf.toString(), "--sentinel", "--port", Integer.toString(actualPort));
		}
		EmbeddedRedis redis = new EmbeddedRedis(actualPort, dir, command);
		redis.start();
		return redis;
	}

	/**
	 * The port.
	 * @return the port Redis listens on (also while stopped)
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The URL for {@code chat.client.redis.url} and Jedis.
	 * @return {@code redis://127.0.0.1:<port>}
	 */
	public String url() {
		return "redis://" + Ports.LOOPBACK + ":" + this.port;
	}

	/**
	 * Whether the process is up.
	 * @return {@code true} between a start and a stop
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Start the process again after {@link #stop()}, on the same port with the same data,
	 * and wait until it answers PING. Does nothing if running.
	 * @throws IllegalStateException if the process does not start (for example the binary
	 * cannot run on this machine)
	 */
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		Path logFile = this.dataDir.resolve("redis-server.log");
		try {
			this.process = new ProcessBuilder(this.command).directory(this.dataDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw cannotRun(ex.getMessage(), ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!answersPing()) {
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				String why = this.process.isAlive() ? "no PONG within " + START_TIMEOUT.toSeconds() + " s"
						: "redis-server exited with code " + this.process.exitValue();
				this.process.destroyForcibly();
				throw cannotRun(why + "; its log " + logFile + " ends with:\n" + LogTail.of(logFile, 20), null);
			}
			if (!pause()) {
				this.process.destroyForcibly();
				throw new IllegalStateException("Interrupted while Redis was starting");
			}
		}
		log.info("Redis listening on {}:{} (pid {}, data in {})", Ports.LOOPBACK, this.port, this.process.pid(),
				this.dataDir);
	}

	/**
	 * Stop the process with SIGTERM: Redis flushes its append-only file and exits. Does
	 * nothing if stopped.
	 */
	public synchronized void stop() {
		if (!isRunning()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("Redis on port {} did not stop within {} s: killing it", this.port, STOP_TIMEOUT.toSeconds());
				this.process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		log.info("Redis on port {} stopped", this.port);
	}

	/** Kill the process ({@code SIGKILL}): nothing is flushed, as when a host dies. */
	public synchronized void kill() {
		if (!isRunning()) {
			return;
		}
		this.process.destroyForcibly();
		try {
			this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		log.info("Redis on port {} killed", this.port);
	}

	@Override
	public void close() {
		stop();
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(Ports.loopback(), this.port), 500);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			// +PONG, or -NOAUTH from a server that wants a password: either way it is up.
			String answer = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
			return "+PONG\r\n".equals(answer) || answer.startsWith("-NOAUTH");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean pause() {
		try {
			Thread.sleep(50);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static IllegalStateException cannotRun(String why, Exception cause) {
		return new IllegalStateException("The embedded redis-server did not start on " + System.getProperty("os.name")
				+ "/" + System.getProperty("os.arch") + ": " + why
				+ "\nIf its binary cannot run on this machine, start a Redis of your own and set REDIS_URL"
				+ " (e.g. REDIS_URL=redis://127.0.0.1:6379)", cause);
	}

	private static String quoted(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
