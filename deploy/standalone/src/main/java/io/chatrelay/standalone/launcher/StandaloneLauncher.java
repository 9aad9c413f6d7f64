package io.chatrelay.standalone.launcher;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import io.chatrelay.standalone.infra.EmbeddedRedis;
import io.chatrelay.standalone.infra.EmbeddedZooKeeper;
import io.chatrelay.standalone.infra.NacosOpenApi;
import io.chatrelay.standalone.infra.Ports;
import io.chatrelay.standalone.infra.ThrowawayCa;
import io.chatrelay.standalone.infra.RoutingPublisher;
import io.chatrelay.standalone.standin.VendorStandIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ChatRelay on one machine with one command: an embedded ZooKeeper (registry and config
 * center), Redis (embedded, or yours through {@code REDIS_URL}), an LLM stand-in serving
 * OpenAI, Zhipu and Qianfan (each vendor with a real key in the environment goes to the
 * real endpoint instead, see {@link LlmSettings}), two chat-provider JVMs and one
 * chat-client JVM, each started once the previous layer is ready.
 *
 * <p>
 * Ctrl-C stops the client, then the providers (SIGTERM with a grace period), then the
 * stand-in, Redis and ZooKeeper. If anything fails to start, whatever did start is
 * stopped the same way and the launcher exits with status 1. Settings are environment
 * variables (see {@link LauncherSettings} or {@code --help}).
 */
public final class StandaloneLauncher {

	private static final Logger log = LoggerFactory.getLogger(StandaloneLauncher.class);

	private static final String PROVIDER_JAR = "chat-provider.jar";

	private static final String CLIENT_JAR = "chat-client.jar";

	/** The client's explicit anonymous switch. */
	static final String ANONYMOUS = "chat.client.security.anonymous";

	private final LauncherSettings settings;

	private final Deque<Running> running = new ArrayDeque<>();

	private final CountDownLatch stopped = new CountDownLatch(1);

	private boolean stopping;

	StandaloneLauncher(LauncherSettings settings) {
		this.settings = settings;
	}

	/**
	 * Start everything, log where to reach it, and run until the JVM is told to stop.
	 * @param args {@code --key=value} for every node, {@code --provider:key=value},
	 * {@code --client:key=value}, or {@code --help}; or
	 * {@code publish-routing <file.yaml|-> [zkAddress]} to run {@link RoutingPublisher},
	 * or {@code publish-words <file.yaml|-> [zkAddress]} to publish the word lists
	 */
	public static void main(String[] args) {
		if (args.length > 0 && LauncherText.PUBLISH_ROUTING.equals(args[0])) {
			RoutingPublisher.main(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		if (args.length > 0 && LauncherText.PUBLISH_WORDS.equals(args[0])) {
			RoutingPublisher.publishWords(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		LauncherSettings settings;
		try {
			settings = LauncherSettings.parse(System.getenv(), systemProperties(), List.of(args), defaultNodesDir());
		}
		catch (IllegalArgumentException ex) {
			log.error("{}", ex.getMessage());
			System.exit(2);
			return;
		}
		if (settings.help()) {
			log.info("{}", LauncherText.usage());
			return;
		}
		StandaloneLauncher launcher = new StandaloneLauncher(settings);
		Thread hook = new Thread(launcher::shutdown, "chatrelay-shutdown");
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			launcher.start();
		}
		catch (Exception ex) {
			log.error("ChatRelay did not start: {}", ex.getMessage());
			log.debug("Start failure", ex);
			launcher.shutdown();
			System.exit(1);
			return;
		}
		launcher.awaitStopped();
	}

	void start() throws IOException {
		log.info("Starting ChatRelay standalone in {} ({})", this.settings.home(), this.settings);
		Path providerJar = requireJar(PROVIDER_JAR);
		Path clientJar = requireJar(CLIENT_JAR);
		for (LauncherSettings.PortUse use : this.settings.ports()) {
			Ports.requireFree(use.port(), use.what(), use.setting());
		}
		Files.createDirectories(this.settings.logDir());

		String registry = startRegistry();

		String redisUrl = startRedis();

		LlmSettings llm = this.settings.llm();
		VendorStandIn standIn = null;
		if (llm.usesStandIn()) {
			standIn = track("LLM stand-in",
					llm.standIn(this.settings.standInPort(), this.settings.standInTokenDelay()).start());
		}
		for (String vendor : llm.standInFailures().keySet()) {
			if (!llm.onStandIn(vendor)) {
				log.warn("{} has no effect: {} goes to the real endpoint", LlmSettings.failureVariable(vendor), vendor);
			}
		}
		String openAiBaseUrl = llm.openAiOnStandIn() ? standIn.baseUrl() : llm.openAiBaseUrl();
		String openAiKey = llm.openAiOnStandIn() ? LauncherSettings.STAND_IN_API_KEY : llm.openAiApiKey();
		Map<String, String> vendorProperties = llm.providerProperties(standIn);
		log.info("Providers will call: {}", String.join("; ", llm.describe(standIn)));

		// Mutual TLS on the Triple port: a CA for this run only, a certificate per node.
		ThrowawayCa ca = ThrowawayCa.create(this.settings.home().resolve("tls"));
		boolean tlsOff = "false".equals(this.settings.providerNodeProperties().get("chat.provider.tls.enabled"))
				|| "false".equals(this.settings.clientNodeProperties().get("chat.client.tls.enabled"));
		if (tlsOff) {
			log.warn("TLS between client and providers is turned off by a --provider:/--client: setting (insecure)");
		}
		else {
			log.info("Client and providers talk mutual TLS; throwaway CA and node certificates in {}",
					ca.trust().getParent());
		}

		NodeGroup providers = track("providers", new NodeGroup());
		for (int i = 1; i <= this.settings.providerCount(); i++) {
			String name = "provider-" + i;
			providers.add(watch(NodeProcess
				.provider(name, providerJar, this.settings.providerHttpPort(i), this.settings.providerDubboPort(i),
						registry, openAiBaseUrl, openAiKey)
				.properties(nodeDefaults())
				.properties(this.settings.registry().nodeProperties())
				.property("chat.provider.bind-address", Ports.LOOPBACK)
				.properties(ca.issueProvider(name).providerProperties())
				.properties(vendorProperties)
				.properties(this.settings.providerNodeProperties())
				.maxHeap(this.settings.nodeMaxHeap())
				.workDir(this.settings.nodeWorkDir(name))
				.logDir(this.settings.logDir())
				.start()));
		}
		for (NodeProcess provider : providers.nodes()) {
			provider.awaitReady(this.settings.readyTimeout());
		}

		NodeGroup clients = track("client", new NodeGroup());
		NodeProcess client = clients.add(watch(NodeProcess
			.client("client-1", clientJar, this.settings.clientPort(), registry, redisUrl, this.settings.tenantId())
			.properties(nodeDefaults())
			.properties(this.settings.registry().nodeProperties())
			// Everything listens on loopback only, so the web API takes callers without a
			// credential here (the banner says so); --client: settings override it.
			.property(ANONYMOUS, "true")
			.property("management.server.address", Ports.LOOPBACK)
			.properties(ca.issueClient("client-1", this.settings.tenantId()).clientProperties())
			.properties(this.settings.clientNodeProperties())
			.maxHeap(this.settings.nodeMaxHeap())
			.workDir(this.settings.nodeWorkDir("client-1"))
			.logDir(this.settings.logDir())
			.start()));
		client.awaitReady(this.settings.readyTimeout());
		Path managementPassword = writeManagementPassword(client);

		log.info("{}", LauncherText.banner(this.settings, standIn, registry, redisUrl, providers.nodes(), client,
				managementPassword));
	}

	/**
	 * Start the embedded ZooKeeper, or check that the external registry answers (and, for
	 * Nacos, takes the credentials) before any node starts: a wrong address or password
	 * fails here in a second with its reason, not in a node after 30 s.
	 * @return the registry address every node gets
	 * @throws IOException if the registry cannot be started or reached
	 */
	private String startRegistry() throws IOException {
		RegistrySettings registry = this.settings.registry();
		if (registry.embedded()) {
			return track("ZooKeeper",
					EmbeddedZooKeeper.start(this.settings.zkPort(), this.settings.home().resolve("zk")))
				.registryAddress();
		}
		if (registry.nacos()) {
			String version = new NacosOpenApi(registry.address(), registry.username(), registry.password())
				.checkAccess();
			log.info("Registry and config center: Nacos {} at {}", version, registry);
		}
		else {
			log.info("Registry and config center: ZooKeeper at {}", registry);
		}
		return registry.address();
	}

	/**
	 * Stop whatever runs, newest first. Safe to call more than once and from any thread.
	 */
	void shutdown() {
		List<Running> toStop;
		synchronized (this.running) {
			if (this.stopping) {
				return;
			}
			this.stopping = true;
			toStop = new ArrayList<>(this.running);
			this.running.clear();
		}
		if (!toStop.isEmpty()) {
			log.info("Stopping ChatRelay");
		}
		for (Running part : toStop) {
			try {
				part.resource().close();
			}
			catch (Exception ex) {
				log.warn("Could not stop {} cleanly: {}", part.name(), ex.toString());
			}
		}
		log.info("ChatRelay stopped");
		this.stopped.countDown();
	}

	void awaitStopped() {
		try {
			this.stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String startRedis() throws IOException {
		if (!this.settings.usesEmbeddedRedis()) {
			String url = this.settings.redisUrl();
			requireReachable(url);
			log.info("Using your Redis at {}", Secrets.maskUrl(url));
			return url;
		}
		return track("Redis", EmbeddedRedis.start(this.settings.redisPort(), this.settings.home().resolve("redis")))
			.url();
	}

	private <T extends AutoCloseable> T track(String name, T resource) {
		synchronized (this.running) {
			if (!this.stopping) {
				this.running.push(new Running(name, resource));
				return resource;
			}
		}
		try {
			resource.close();
		}
		catch (Exception ex) {
			log.warn("Could not stop {} cleanly: {}", name, ex.toString());
		}
		throw new IllegalStateException("ChatRelay is shutting down");
	}

	private NodeProcess watch(NodeProcess node) {
		node.onExit().thenAccept((code) -> {
			boolean expected;
			synchronized (this.running) {
				expected = this.stopping;
			}
			if (!expected) {
				log.error("{} exited unexpectedly with code {}; see {}", node.name(), code, node.logFile());
			}
		});
		return node;
	}

	private Path requireJar(String fileName) throws IOException {
		Path jar = this.settings.nodesDir().resolve(fileName);
		if (!Files.isRegularFile(jar)) {
			throw new IOException("Node jar " + jar + " not found: build it with deploy/standalone/run.sh (or"
					+ " ./mvnw -pl deploy/standalone -am package), or point -D" + LauncherSettings.NODES_DIR_PROPERTY
					+ " at the directory holding " + PROVIDER_JAR + " and " + CLIENT_JAR);
		}
		return jar;
	}

	private static void requireReachable(String redisUrl) throws IOException {
		URI uri = URI.create(redisUrl);
		String host = (uri.getHost() != null) ? uri.getHost() : Ports.LOOPBACK;
		int port = (uri.getPort() > 0) ? uri.getPort() : 6379;
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 2000);
		}
		catch (IOException ex) {
			throw new IOException("Redis at REDIS_URL (" + host + ":" + port + ") is not reachable: " + ex.getMessage()
					+ ". Start it, fix REDIS_URL, or unset REDIS_URL for the embedded Redis", ex);
		}
	}

	/**
	 * Defaults for every node, before the user's arguments: keep the HTTP servers off the
	 * network, and silence Dubbo's NetUtils, which with
	 * {@code dubbo.network.interface.ignored=.*} logs two warning stack traces each time
	 * it looks up the local address (on every Dubbo log line and metrics sample).
	 */
	/**
	 * The management password of the client, in a file only its owner can read (never on
	 * the console or a command line).
	 */
	private Path writeManagementPassword(NodeProcess client) throws IOException {
		Path file = this.settings.nodeWorkDir(client.name()).resolve("management-password");
		Files.deleteIfExists(file);
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, client.management().password() + "\n", StandardCharsets.UTF_8);
		return file;
	}

	private static Map<String, String> nodeDefaults() {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("server.address", Ports.LOOPBACK);
		defaults.put("logging.level.org.apache.dubbo.common.utils.NetUtils", "ERROR");
		return defaults;
	}

	private static Map<String, String> systemProperties() {
		return System.getProperties()
			.stringPropertyNames()
			.stream()
			.collect(Collectors.toMap((name) -> name, System::getProperty));
	}

	/**
	 * The {@code nodes/} directory next to the launcher jar (or next to
	 * {@code target/classes} when run from an IDE).
	 */
	static Path defaultNodesDir() {
		String classPath = System.getProperty("java.class.path", "");
		String first = classPath.split(File.pathSeparator, 2)[0];
		if (!first.isEmpty()) {
			Path entry = Path.of(first).toAbsolutePath().normalize();
			Path parent = entry.getParent();
			if (parent != null) {
				return parent.resolve("nodes");
			}
		}
		return Path.of("deploy", "standalone", "target", "nodes").toAbsolutePath();
	}

	/** A started part and its name, stopped in reverse start order. */
	private record Running(String name, AutoCloseable resource) {
	}

	/**
	 * Nodes of one layer, stopped together: SIGTERM to all, then wait for each. A node
	 * added after the group was closed (Ctrl-C during startup) is stopped at once.
	 */
	private static final class NodeGroup implements AutoCloseable {

		private final List<NodeProcess> nodes = new ArrayList<>();

		private boolean closed;

		NodeProcess add(NodeProcess node) {
			synchronized (this.nodes) {
				if (!this.closed) {
					this.nodes.add(node);
					return node;
				}
			}
			node.stop(NodeProcess.DEFAULT_STOP_GRACE);
			throw new IllegalStateException("ChatRelay is shutting down");
		}

		List<NodeProcess> nodes() {
			synchronized (this.nodes) {
				return List.copyOf(this.nodes);
			}
		}

		@Override
		public void close() {
			List<NodeProcess> toStop;
			synchronized (this.nodes) {
				this.closed = true;
				toStop = List.copyOf(this.nodes);
			}
			CompletableFuture<?>[] stops = toStop.stream()
				.map((node) -> CompletableFuture.runAsync(() -> node.stop(NodeProcess.DEFAULT_STOP_GRACE)))
				.toArray(CompletableFuture[]::new);
			CompletableFuture.allOf(stops).join();
		}

	}

}
