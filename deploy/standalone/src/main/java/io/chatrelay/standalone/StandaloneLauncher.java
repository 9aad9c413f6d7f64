package io.chatrelay.standalone;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ChatRelay on one machine with one command: an embedded ZooKeeper (registry and config
 * center), Redis (embedded, or yours through {@code REDIS_URL}), an OpenAI stand-in (or
 * the real OpenAI when {@code OPENAI_API_KEY} is set), two chat-provider JVMs and one
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
	 * {@code --client:key=value}, or {@code --help}
	 */
	public static void main(String[] args) {
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
			log.info("{}", usage());
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

		EmbeddedZooKeeper zooKeeper = track("ZooKeeper",
				EmbeddedZooKeeper.start(this.settings.zkPort(), this.settings.home().resolve("zk")));
		String registry = zooKeeper.registryAddress();

		String redisUrl = startRedis();

		String openAiBaseUrl;
		String openAiKey;
		if (this.settings.usesStandIn()) {
			OpenAiStandIn standIn = track("OpenAI stand-in",
					OpenAiStandIn.builder()
						.port(this.settings.standInPort())
						.tokenDelay(this.settings.standInTokenDelay())
						.start());
			openAiBaseUrl = standIn.baseUrl();
			openAiKey = LauncherSettings.STAND_IN_API_KEY;
		}
		else {
			openAiBaseUrl = this.settings.openAiBaseUrl();
			openAiKey = this.settings.openAiApiKey();
			log.info("Providers will call OpenAI at {} with key {}", openAiBaseUrl, Secrets.mask(openAiKey));
		}

		NodeGroup providers = track("providers", new NodeGroup());
		for (int i = 1; i <= this.settings.providerCount(); i++) {
			String name = "provider-" + i;
			providers.add(watch(NodeProcess
				.provider(name, providerJar, this.settings.providerHttpPort(i), this.settings.providerDubboPort(i),
						registry, openAiBaseUrl, openAiKey)
				.properties(nodeDefaults())
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
			.properties(this.settings.clientNodeProperties())
			.maxHeap(this.settings.nodeMaxHeap())
			.workDir(this.settings.nodeWorkDir("client-1"))
			.logDir(this.settings.logDir())
			.start()));
		client.awaitReady(this.settings.readyTimeout());

		log.info("{}", banner(registry, redisUrl, openAiBaseUrl, providers.nodes(), client));
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
	private static Map<String, String> nodeDefaults() {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("server.address", Ports.LOOPBACK);
		defaults.put("logging.level.org.apache.dubbo.common.utils.NetUtils", "ERROR");
		return defaults;
	}

	private String banner(String registry, String redisUrl, String openAiBaseUrl, List<NodeProcess> providers,
			NodeProcess client) {
		int port = this.settings.clientPort();
		String body = "'{\"conversationId\":\"c1\",\"userId\":\"u1\",\"message\":\"hi\"}'";
		List<String> providerList = new ArrayList<>();
		for (int i = 1; i <= providers.size(); i++) {
			NodeProcess provider = providers.get(i - 1);
			providerList.add(provider.name() + " (Dubbo " + this.settings.providerDubboPort(i) + ", actuator "
					+ provider.httpPort() + ", pid " + provider.pid() + ")");
		}
		String llm = this.settings.usesStandIn()
				? "OpenAI stand-in at " + openAiBaseUrl + " (answers \"You said: <message> (turn <n>)\")"
				: "OpenAI at " + openAiBaseUrl;
		return String.join("\n", "", "==================================================================",
				" ChatRelay is ready (tenant " + this.settings.tenantId() + ")",
				" Web channel:  http://localhost:" + port + "/api/v1/chat  and  /api/v1/chat/stream (SSE)", " Try:",
				"   curl -s localhost:" + port + "/api/v1/chat -H 'content-type: application/json' -d " + body,
				"   curl -sN localhost:" + port + "/api/v1/chat/stream -H 'content-type: application/json' -d " + body,
				" LLM:          " + llm, " Registry:     " + registry, " Redis:        " + Secrets.maskUrl(redisUrl),
				" Providers:    " + String.join(", ", providerList),
				" Client:       " + client.name() + " (HTTP " + client.httpPort() + ", pid " + client.pid() + ")",
				" Logs:         " + this.settings.logDir(), " Stop:         Ctrl-C",
				"==================================================================");
	}

	private static String usage() {
		return String.join("\n", "",
				"ChatRelay standalone: ZooKeeper, Redis, an OpenAI stand-in, providers and a client",
				"on this machine, all on 127.0.0.1.", "",
				"Usage: deploy/standalone/run.sh [--key=value] [--provider:key=value] [--client:key=value]",
				"  --key=value           a Spring property for every node",
				"  --provider:key=value  a Spring property for the providers",
				"  --client:key=value    a Spring property for the client", "", "Environment (default):",
				"  CHATRELAY_HOME          work dir with logs/, zk/, redis/, run/ (./.chatrelay)",
				"  ZK_PORT                 embedded ZooKeeper (2181)",
				"  REDIS_URL               use this Redis instead of the embedded one",
				"  REDIS_PORT              embedded Redis (6379)",
				"  OPENAI_API_KEY          call the real OpenAI instead of the stand-in",
				"  OPENAI_BASE_URL         with OPENAI_API_KEY (https://api.openai.com/v1)",
				"  STANDIN_PORT            OpenAI stand-in (18000)",
				"  STANDIN_TOKEN_DELAY_MS  stand-in delay per streamed token (20)",
				"  PROVIDER_COUNT          providers (2)",
				"  PROVIDER_DUBBO_PORT     Dubbo port of provider 1, +1 for each next (50051)",
				"  PROVIDER_HTTP_PORT      actuator port of provider 1, +1 for each next (8081)",
				"  CLIENT_PORT             client HTTP (8080)", "  CHAT_TENANT_ID          client tenant (demo)",
				"  NODE_MAX_HEAP           -Xmx of each node (384m)", "  READY_TIMEOUT_SECONDS   per node (180)", "",
				"System property -D" + LauncherSettings.NODES_DIR_PROPERTY
						+ ": directory with chat-provider.jar and chat-client.jar",
				"(default: nodes/ next to the launcher jar).");
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
