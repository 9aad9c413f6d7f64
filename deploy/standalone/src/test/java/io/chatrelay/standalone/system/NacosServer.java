package io.chatrelay.standalone.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.chatrelay.standalone.infra.NacosOpenApi;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Nacos server from {@code ../shared/nacos} (beside the checkout), started
 * standalone with authentication on through its {@code nacos.sh}, on free loopback ports.
 * {@link #stop()} and {@link #restart()} keep the port and the data, so a drill can take
 * Nacos away and bring it back with its registrations and configurations.
 *
 * <p>
 * Each server version in that folder ({@code nacos-server-<version>.jar}) is one
 * {@link #versions() version}; the test checks that the server it got says that version,
 * so a script that ignores the choice fails loudly instead of testing one version twice.
 * Without the folder the tests that need it are skipped with the reason, and fail when
 * {@code CI=true}.
 */
final class NacosServer implements AutoCloseable {

	/** The Nacos user the nodes and the operator's calls use (the built-in admin). */
	static final String USERNAME = "nacos";

	private static final Pattern JAR = Pattern.compile("nacos-server-(.+)\\.jar");

	private static final Pattern PORT = Pattern.compile("^NACOS_PORT=(\\d+)$", Pattern.MULTILINE);

	private static final Pattern PID = Pattern.compile("^NACOS_PID=(\\d+)$", Pattern.MULTILINE);

	private static final long START_TIMEOUT_SECONDS = 180;

	private static final Logger log = LoggerFactory.getLogger(NacosServer.class);

	private final Path script;

	private final Path jar;

	private final String version;

	private final Path home;

	private final String password;

	private int port;

	/** The server JVM's command line as nacos.sh launched it, to launch it again. */
	private List<String> command = List.of();

	private NacosServer(Path script, Path jar, String version, Path home, String password) {
		this.script = script;
		this.jar = jar;
		this.version = version;
		this.home = home;
		this.password = password;
	}

	/**
	 * The server versions in {@code ../shared/nacos}, oldest first.
	 * @return e.g. {@code [2.5.1]}; skips (or fails under {@code CI=true}) when the
	 * folder is missing
	 */
	static List<String> versions() {
		Path folder = folder();
		try (Stream<Path> files = Files.list(folder)) {
			List<String> versions = files.map((file) -> JAR.matcher(file.getFileName().toString()))
				.filter(Matcher::matches)
				.map((matcher) -> matcher.group(1))
				.sorted()
				.toList();
			if (versions.isEmpty()) {
				Assertions.fail("No nacos-server-<version>.jar in " + folder);
			}
			return versions;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start a server of one version with authentication on and a fresh random password.
	 * @param version one of {@link #versions()}
	 * @param home its directory (conf, data, logs)
	 * @return the running server, its version checked
	 * @throws IOException if it does not come up
	 */
	static NacosServer start(String version, Path home) throws IOException {
		Path folder = folder();
		byte[] random = new byte[12];
		new SecureRandom().nextBytes(random);
		NacosServer server = new NacosServer(folder.resolve("nacos.sh"),
				folder.resolve("nacos-server-" + version + ".jar"), version, home,
				"Nacos-" + HexFormat.of().formatHex(random));
		server.launch();
		String running = server.openApi().version();
		if (!running.equals(version)) {
			server.close();
			Assertions.fail("Asked " + server.script + " for Nacos " + version + " and got " + running
					+ ": teach it to start " + server.jar.getFileName() + " (NACOS_JAR)");
		}
		return server;
	}

	private void launch() throws IOException {
		List<String> command = List.of("bash", this.script.toString(), "start", this.home.toString(), "--auth",
				USERNAME + ":" + this.password, "--timeout", Long.toString(START_TIMEOUT_SECONDS));
		Files.createDirectories(this.home);
		Path output = this.home.resolve("nacos-sh.out");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().put("NACOS_JAR", this.jar.toString());
		long started = System.nanoTime();
		Process process = builder.start();
		try {
			if (!process.waitFor(START_TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException("nacos.sh did not return within " + (START_TIMEOUT_SECONDS + 30) + " s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while starting Nacos", ex);
		}
		String printed = Files.readString(output, StandardCharsets.UTF_8);
		Matcher port = PORT.matcher(printed);
		Matcher pid = PID.matcher(printed);
		if (process.exitValue() != 0 || !port.find() || !pid.find()) {
			throw new IOException(
					"Nacos " + this.version + " did not start (exit " + process.exitValue() + "):\n" + printed);
		}
		this.port = Integer.parseInt(port.group(1));
		this.command = commandLine(Long.parseLong(pid.group(1)));
		log.info("Nacos {} with authentication on 127.0.0.1:{} (gRPC {}) in {} ms", this.version, this.port,
				this.port + 1000, (System.nanoTime() - started) / 1_000_000);
	}

	/** Stop the server (nacos.sh: SIGTERM, then SIGKILL), keeping its port and data. */
	void stop() {
		try {
			Process process = new ProcessBuilder("bash", this.script.toString(), "stop", this.home.toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			process.waitFor(40, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Start it again on the same port with the same data, password and keys, and wait
	 * until a login works. It runs the server JVM's own command line again rather than
	 * nacos.sh, whose free-port check refuses the port for a minute after a stop: the
	 * stopped server's sockets linger in TIME_WAIT, which the JVM's listeners
	 * (SO_REUSEADDR) do not mind.
	 */
	void restart() {
		try {
			Path output = this.home.resolve("logs").resolve("stdout.log");
			Process process = new ProcessBuilder(this.command).directory(this.home.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			Files.writeString(this.home.resolve("nacos.pid"), process.pid() + "\n", StandardCharsets.UTF_8);
			long started = System.nanoTime();
			long deadline = started + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
			while (true) {
				try {
					openApi().checkAccess();
					break;
				}
				catch (IOException notYet) {
					if (!process.isAlive() || System.nanoTime() > deadline) {
						throw new IOException("Nacos " + this.version + " did not come back on port " + this.port,
								notYet);
					}
					Thread.sleep(500);
				}
			}
			log.info("Nacos {} restarted on 127.0.0.1:{} in {} ms", this.version, this.port,
					(System.nanoTime() - started) / 1_000_000);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static List<String> commandLine(long pid) throws IOException {
		byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
		List<String> command = new ArrayList<>();
		int start = 0;
		for (int i = 0; i < raw.length; i++) {
			if (raw[i] == 0) {
				command.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
				start = i + 1;
			}
		}
		if (command.isEmpty()) {
			throw new IOException("Cannot read the command line of Nacos (pid " + pid + ")");
		}
		return List.copyOf(command);
	}

	/**
	 * The Open API as the admin user.
	 * @return a client for operator actions
	 */
	NacosOpenApi openApi() {
		return new NacosOpenApi(hostPort(), USERNAME, this.password);
	}

	String hostPort() {
		return "127.0.0.1:" + this.port;
	}

	String password() {
		return this.password;
	}

	String version() {
		return this.version;
	}

	private static Path folder() {
		String configured = System.getProperty("chatrelay.shared.dir");
		List<Path> candidates = new ArrayList<>();
		if (configured != null && !configured.isBlank()) {
			candidates.add(Path.of(configured));
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			candidates.add(dir.resolve("shared"));
		}
		for (Path candidate : candidates) {
			if (Files.isRegularFile(candidate.resolve("nacos").resolve("nacos.sh"))) {
				return candidate.resolve("nacos");
			}
		}
		String why = "No real Nacos: ../shared/nacos/nacos.sh is not beside this checkout (or set -Dchatrelay.shared.dir)";
		if ("true".equals(System.getenv().getOrDefault("CI", "").toLowerCase(Locale.ROOT))) {
			Assertions.fail(why + "; under CI=true the Nacos system tests must run");
		}
		log.warn("{}: the Nacos system tests did not run", why);
		Assumptions.abort(why + ": the Nacos system tests did not run");
		throw new IllegalStateException(why);
	}

	@Override
	public void close() {
		stop();
	}

}
