package io.chatrelay.standalone.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.chatrelay.standalone.infra.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line, work directory and log location of one node, from
 * {@link NodeProcess#builder}, {@link NodeProcess#provider} or
 * {@link NodeProcess#client}; {@link #start()} launches it as a {@link NodeProcess}.
 *
 * <p>
 * Every node JVM gets {@code -Ddubbo.network.interface.ignored=.*} (Dubbo stays on
 * 127.0.0.1), {@code -Ddubbo.application.qos-enable=false}, {@code user.home} and
 * {@code java.io.tmpdir} inside its own work directory, a heap cap and, on JDK 21 and
 * later, {@code -Ddubbo.json-framework.prefer=fastjson2} (see DESIGN.md section 7).
 * Properties that name a credential (see {@link Secrets}) never go on the command line,
 * which every user of the machine can read: the node gets them as the environment
 * variables Spring Boot binds to them, and the log shows them masked.
 */
public final class NodeCommand {

	private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);

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

	private String readinessPath = NodeProcess.READINESS_PATH;

	private NodeManagement management;

	NodeCommand(String name, Path jar, int httpPort) {
		this.name = Objects.requireNonNull(name, "name");
		this.jar = Objects.requireNonNull(jar, "jar").toAbsolutePath();
		this.httpPort = httpPort;
	}

	/**
	 * The node's own directory: its {@code user.home}, current directory and (under
	 * {@code tmp/}) {@code java.io.tmpdir}. Default:
	 * {@code ${java.io.tmpdir}/chatrelay-nodes/<name>}.
	 * @param workDir the directory (created if missing)
	 * @return this command
	 */
	public NodeCommand workDir(Path workDir) {
		this.workDir = workDir.toAbsolutePath();
		return this;
	}

	/**
	 * Where {@code <name>.log} goes. Default: the work directory.
	 * @param logDir the directory (created if missing)
	 * @return this command
	 */
	public NodeCommand logDir(Path logDir) {
		this.logDir = logDir.toAbsolutePath();
		return this;
	}

	/**
	 * The heap cap ({@code -Xmx}), default {@value #DEFAULT_MAX_HEAP}.
	 * @param maxHeap e.g. {@code 512m}
	 * @return this command
	 */
	public NodeCommand maxHeap(String maxHeap) {
		this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
		return this;
	}

	/**
	 * An extra JVM argument, after the standard ones.
	 * @param jvmArg e.g. {@code -Dfoo=bar}
	 * @return this command
	 */
	public NodeCommand jvmArg(String jvmArg) {
		this.jvmArgs.add(Objects.requireNonNull(jvmArg, "jvmArg"));
		return this;
	}

	/**
	 * A {@code --key=value} application argument; a later value for the same key replaces
	 * an earlier one.
	 * @param key the property name
	 * @param value the value
	 * @return this command
	 */
	public NodeCommand property(String key, String value) {
		this.properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
		return this;
	}

	/**
	 * Several {@code --key=value} application arguments.
	 * @param properties the properties, in order
	 * @return this command
	 */
	public NodeCommand properties(Map<String, String> properties) {
		properties.forEach(this::property);
		return this;
	}

	/**
	 * An environment variable of the node process.
	 * @param name the variable
	 * @param value its value
	 * @return this command
	 */
	public NodeCommand environment(String name, String value) {
		this.environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
		return this;
	}

	/**
	 * The management port and its credentials (a client node's metrics and dead letters);
	 * the password reaches the node in its environment.
	 * @param management the port and credentials
	 * @return this command
	 */
	public NodeCommand management(NodeManagement management) {
		this.management = Objects.requireNonNull(management, "management");
		return property("management.server.port", Integer.toString(management.port()))
			.property("chat.client.security.management.username", management.username())
			.property("chat.client.security.management.password", management.password());
	}

	/**
	 * The credentials of a provider node's actuator port (its {@code server.port}):
	 * metrics, prometheus and token usage; the password reaches the node in its
	 * environment.
	 * @param management the port ({@link #httpPort()}) and credentials
	 * @return this command
	 */
	public NodeCommand providerManagement(NodeManagement management) {
		this.management = Objects.requireNonNull(management, "management");
		return property("chat.provider.management.username", management.username())
			.property("chat.provider.management.password", management.password());
	}

	/**
	 * The readiness path, default {@value NodeProcess#READINESS_PATH}.
	 * @param readinessPath the path on {@code http://127.0.0.1:<httpPort>}
	 * @return this command
	 */
	public NodeCommand readinessPath(String readinessPath) {
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
		Map<String, String> secrets = secretEnvironment();
		String shown = command.stream().map(Secrets::maskArgument).collect(Collectors.joining(" "))
				+ (secrets.isEmpty() ? ""
						: secrets.entrySet()
							.stream()
							.map((secret) -> secret.getKey() + "=" + Secrets.mask(secret.getValue()))
							.collect(Collectors.joining(" ", " (environment: ", ")")));
		Files.writeString(logFile, "==== " + OffsetDateTime.now() + " starting " + this.name + ": " + shown + "\n",
				StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
			.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
		builder.environment().putAll(this.environment);
		builder.environment().putAll(secrets);
		Process process = builder.start();
		log.info("Started {} (pid {}, port {}), log: {}", this.name, process.pid(), this.httpPort, logFile);
		log.debug("{} command: {}", this.name, shown);
		URI readiness = URI.create("http://" + Ports.LOOPBACK + ":" + this.httpPort + this.readinessPath);
		return new NodeProcess(this.name, this.httpPort, process, logFile, readiness, this.management);
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
		this.properties.forEach((key, value) -> {
			if (!Secrets.isSecret(key, value)) {
				command.add("--" + key + "=" + value);
			}
		});
		return command;
	}

	/**
	 * The credentials among the properties, as the environment variables that carry them.
	 * @return variable name to value, in the order the properties were given
	 */
	Map<String, String> secretEnvironment() {
		Map<String, String> secrets = new LinkedHashMap<>();
		this.properties.forEach((key, value) -> {
			if (Secrets.isSecret(key, value)) {
				secrets.put(Secrets.environmentName(key), value);
			}
		});
		return secrets;
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
