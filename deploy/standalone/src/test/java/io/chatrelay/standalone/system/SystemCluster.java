package io.chatrelay.standalone.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.standalone.infra.EmbeddedRedis;
import io.chatrelay.standalone.infra.EmbeddedZooKeeper;
import io.chatrelay.standalone.infra.Ports;
import io.chatrelay.standalone.infra.ThrowawayCa;
import io.chatrelay.standalone.launcher.NodeProcess;

/**
 * A whole ChatRelay system on loopback for integration tests: a registry (an embedded
 * ZooKeeper, or a namespace of a real Nacos), a real redis-server, provider and client
 * nodes as separate JVMs (the jars the build just made), all talking real Dubbo Triple
 * over sockets. The LLM vendor is whatever the test stands up at {@code openAiBaseUrl}.
 */
final class SystemCluster implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	static final String TENANT = "it";

	private static final Path NODES = Path.of("target", "nodes");

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

	private final Path home;

	private final Registry registry;

	private final EmbeddedRedis redis;

	private final List<NodeProcess> providers = new ArrayList<>();

	private final List<NodeProcess> clients = new ArrayList<>();

	private final List<Integer> providerDubboPorts = new ArrayList<>();

	private final ThrowawayCa ca;

	private SystemCluster(Path home, Registry registry, EmbeddedRedis redis, ThrowawayCa ca) {
		this.home = home;
		this.registry = registry;
		this.redis = redis;
		this.ca = ca;
	}

	/**
	 * Start ZooKeeper and Redis; add nodes with {@link #startNodes}.
	 * @param name a directory name under {@code target/it} for logs and data
	 * @return the cluster
	 * @throws IOException if a part cannot start
	 */
	static SystemCluster start(String name) throws IOException {
		Path home = home(name);
		return start(home, Registry.zooKeeper(home.resolve("zk")));
	}

	/**
	 * Start Redis on a registry that is already running (closed with the cluster); add
	 * nodes with {@link #startNodes}.
	 * @param name a directory name under {@code target/it} for logs and data
	 * @param registry the registry and config center of every node
	 * @return the cluster
	 * @throws IOException if a part cannot start
	 */
	static SystemCluster start(String name, Registry registry) throws IOException {
		return start(home(name), registry);
	}

	private static SystemCluster start(Path home, Registry registry) throws IOException {
		EmbeddedRedis redis = EmbeddedRedis.start(0, home.resolve("redis"));
		// Every node talks mutual TLS, with certificates from a CA that exists for this
		// run only.
		return new SystemCluster(home, registry, redis, ThrowawayCa.create(home.resolve("tls")));
	}

	/**
	 * A fresh directory for a cluster's logs and data.
	 * @param name its name under {@code target/it}
	 * @return the empty directory
	 * @throws IOException if it cannot be made
	 */
	static Path home(String name) throws IOException {
		Path home = Path.of("target", "it", name).toAbsolutePath();
		deleteRecursively(home);
		Files.createDirectories(home);
		return home;
	}

	/**
	 * Start provider and client nodes in parallel and wait until all are ready.
	 * @param providerCount how many providers
	 * @param openAiBaseUrl where the providers find "OpenAI"
	 * @param providerProperties extra Spring properties for every provider
	 * @param clientProperties extra Spring properties for the client
	 * @throws Exception if a node does not become ready
	 */
	void startNodes(int providerCount, String openAiBaseUrl, Map<String, String> providerProperties,
			Map<String, String> clientProperties) throws Exception {
		List<NodeProcess> started = new ArrayList<>();
		for (int i = 1; i <= providerCount; i++) {
			started.add(provider(openAiBaseUrl, providerProperties));
		}
		NodeProcess client = client("client-1", clientProperties);
		started.add(client);
		CompletableFuture
			.allOf(started.stream()
				.map((node) -> CompletableFuture.runAsync(() -> node.awaitReady(READY_TIMEOUT)))
				.toArray(CompletableFuture[]::new))
			.join();
	}

	/**
	 * Start one more provider node (for example after all of them were stopped) and wait
	 * until it is ready.
	 * @param openAiBaseUrl where it finds "OpenAI"
	 * @param providerProperties extra Spring properties for it
	 * @return the node
	 * @throws IOException if it cannot be started
	 */
	NodeProcess startProvider(String openAiBaseUrl, Map<String, String> providerProperties) throws IOException {
		NodeProcess provider = provider(openAiBaseUrl, providerProperties);
		provider.awaitReady(READY_TIMEOUT);
		return provider;
	}

	private NodeProcess provider(String openAiBaseUrl, Map<String, String> providerProperties) throws IOException {
		String name = "provider-" + (this.providers.size() + 1);
		int dubboPort = Ports.freePort();
		NodeProcess provider = NodeProcess
			.provider(name, NODES.resolve("chat-provider.jar"), Ports.freePort(), dubboPort, this.registry.address(),
					openAiBaseUrl, "sk-test-not-a-real-key")
			.properties(common())
			.properties(this.registry.nodeProperties())
			// Listen on loopback only, like everything else of a test run.
			.property("chat.provider.bind-address", Ports.LOOPBACK)
			.properties(this.ca.issueProvider(name).providerProperties())
			.properties(providerProperties)
			// Its own user.home: Dubbo and the Nacos client keep caches there that no two
			// nodes may share.
			.workDir(this.home.resolve("run").resolve(name))
			.logDir(this.home.resolve("logs"))
			.start();
		this.providers.add(provider);
		this.providerDubboPorts.add(dubboPort);
		return provider;
	}

	/**
	 * Start one more client node (for example a second node behind the same platform) and
	 * wait until it is ready.
	 * @param clientProperties extra Spring properties for it
	 * @return the node
	 */
	NodeProcess startClient(Map<String, String> clientProperties) {
		NodeProcess client = client("client-" + (this.clients.size() + 1), clientProperties);
		client.awaitReady(READY_TIMEOUT);
		return client;
	}

	private NodeProcess client(String name, Map<String, String> clientProperties) {
		NodeProcess client;
		try {
			client = NodeProcess
				.client(name, NODES.resolve("chat-client.jar"), Ports.freePort(), this.registry.address(),
						this.redis.url(), TENANT)
				.properties(common())
				.properties(this.registry.nodeProperties())
				// Most system tests are about a path, not about credentials: the web API
				// takes the userId from the body unless a test turns this off.
				.property("chat.client.security.anonymous", "true")
				.property("management.server.address", Ports.LOOPBACK)
				// The certificate names the node's tenant: the provider serves no other.
				.properties(this.ca.issueClient(name, clientProperties.getOrDefault("chat.client.tenant-id", TENANT))
					.clientProperties())
				.properties(clientProperties)
				.workDir(this.home.resolve("run").resolve(name))
				.logDir(this.home.resolve("logs"))
				.start();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		this.clients.add(client);
		return client;
	}

	/**
	 * Wait until a web chat is answered: nodes are ready before the client has
	 * necessarily heard of every provider from the registry.
	 * @param timeout how long to try
	 * @throws Exception if no chat succeeds in time
	 */
	void awaitServing(Duration timeout) throws Exception {
		awaitServing(timeout, null);
	}

	/**
	 * Wait until a web chat with a credential is answered.
	 * @param timeout how long to try
	 * @param authorization the {@code Authorization} header, or {@code null} in the
	 * anonymous mode
	 * @throws Exception if no chat succeeds in time
	 */
	void awaitServing(Duration timeout, String authorization) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(clientUrl() + "/api/v1/chat"))
			.header("content-type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"conversationId\":\"warm-up\",\"userId\":\"it\",\"message\":\"warm-up\"}"));
		if (authorization != null) {
			builder.header("Authorization", authorization);
		}
		HttpRequest request = builder.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		int status = 0;
		while (System.nanoTime() < deadline) {
			status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status == 200) {
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException(
				"The system did not answer a web chat within " + timeout + " (last status " + status + ")");
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(path)) {
			for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(each);
			}
		}
	}

	private static Map<String, String> common() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.address", Ports.LOOPBACK);
		// With every interface ignored, Dubbo logs two stack traces per local-address
		// lookup.
		properties.put("logging.level.org.apache.dubbo.common.utils.NetUtils", "ERROR");
		return properties;
	}

	NodeProcess provider(int index) {
		return this.providers.get(index);
	}

	/**
	 * The Triple port of a provider.
	 * @param index the provider's index, in start order
	 * @return its {@code dubbo.protocol.port}
	 */
	int providerDubboPort(int index) {
		return this.providerDubboPorts.get(index);
	}

	/**
	 * This run's CA, to issue more certificates in a test.
	 * @return the CA whose certificate every node trusts
	 */
	ThrowawayCa ca() {
		return this.ca;
	}

	NodeProcess client(int index) {
		return this.clients.get(index);
	}

	NodeProcess client() {
		return this.clients.get(0);
	}

	EmbeddedRedis redis() {
		return this.redis;
	}

	/**
	 * The embedded ZooKeeper of a cluster started without another registry.
	 * @return the ZooKeeper
	 */
	EmbeddedZooKeeper zooKeeper() {
		if (this.registry instanceof Registry.ZooKeeperRegistry zooKeeper) {
			return zooKeeper.server();
		}
		throw new IllegalStateException("This cluster runs on " + this.registry.address() + ", not ZooKeeper");
	}

	/**
	 * The cluster's directory: {@code logs/} holds every node's log.
	 * @return {@code target/it/<name>}
	 */
	Path home() {
		return this.home;
	}

	Registry registry() {
		return this.registry;
	}

	/**
	 * Ask the web channel for a streamed answer and read the whole event stream.
	 * @param conversation the conversation id
	 * @param user the user id
	 * @param message the message
	 * @return the events in order, each as {@code {name, data}}
	 * @throws Exception if the call fails or does not answer 200
	 */
	List<String[]> streamChat(String conversation, String user, String message) throws Exception {
		String body = "{\"conversationId\":\"" + conversation + "\",\"userId\":\"" + user + "\",\"message\":\""
				+ message + "\"}";
		HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(clientUrl() + "/api/v1/chat/stream"))
				.header("content-type", "application/json")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofLines());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("stream answered " + response.statusCode());
		}
		List<String[]> events = new ArrayList<>();
		String[] pending = new String[2];
		for (String line : (Iterable<String>) response.body()::iterator) {
			if (line.startsWith("event:")) {
				pending[0] = line.substring(6).strip();
			}
			else if (line.startsWith("data:")) {
				pending[1] = line.substring(5);
			}
			else if (line.isEmpty() && pending[0] != null) {
				events.add(pending);
				pending = new String[2];
			}
		}
		return events;
	}

	/**
	 * Parse JSON in a test, failing the test when it is not JSON.
	 * @param json the text
	 * @return the tree
	 */
	static JsonNode readJson(String json) {
		try {
			return JSON.readTree(json);
		}
		catch (IOException ex) {
			throw new AssertionError("Not JSON: " + json, ex);
		}
	}

	/**
	 * A client node's Prometheus page, read on its management port with its credentials.
	 * @param client the client node
	 * @return the page
	 * @throws Exception if it cannot be read
	 */
	static String prometheus(NodeProcess client) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(client.management().url() + "/actuator/prometheus"))
				.header("Authorization", client.management().authorization())
				.timeout(Duration.ofSeconds(10))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new AssertionError("GET /actuator/prometheus on " + client + " answered " + response.statusCode());
		}
		return response.body();
	}

	/**
	 * The client's base URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String clientUrl() {
		return "http://127.0.0.1:" + client().httpPort();
	}

	private static void closeAll(List<NodeProcess> nodes) {
		CompletableFuture.allOf(
				nodes.stream().map((node) -> CompletableFuture.runAsync(node::close)).toArray(CompletableFuture[]::new))
			.join();
	}

	@Override
	public void close() {
		closeAll(this.clients);
		closeAll(this.providers);
		this.redis.close();
		this.registry.close();
	}

}
