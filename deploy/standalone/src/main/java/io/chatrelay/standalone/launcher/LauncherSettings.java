package io.chatrelay.standalone.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the standalone launcher starts, read from environment variables, the
 * {@code chatrelay.nodes.dir} system property and the command line.
 *
 * <p>
 * Command-line arguments pass Spring properties to the nodes: {@code --key=value} to
 * every node, {@code --provider:key=value} to the providers, {@code --client:key=value}
 * to the client.
 *
 * @param home the work directory ({@code CHATRELAY_HOME}, default {@code ./.chatrelay})
 * @param nodesDir where {@code chat-provider.jar} and {@code chat-client.jar} are
 * @param zkPort embedded ZooKeeper port ({@code ZK_PORT}, 2181)
 * @param registry an external registry ({@code REGISTRY}, with {@code REGISTRY_USERNAME}
 * and {@code REGISTRY_PASSWORD}) instead of the embedded ZooKeeper
 * @param redisUrl an external Redis ({@code REDIS_URL}), or {@code null} for the embedded
 * one
 * @param redisPort embedded Redis port ({@code REDIS_PORT}, 6379)
 * @param standInPort LLM stand-in port ({@code STANDIN_PORT}, 18000)
 * @param standInTokenDelay stand-in delay per streamed token
 * ({@code STANDIN_TOKEN_DELAY_MS}, 20)
 * @param llm where each LLM vendor points: the stand-in, or the real endpoint when its
 * key is set ({@code OPENAI_API_KEY}, {@code ZHIPU_API_KEY}, {@code QIANFAN_API_KEY} or
 * {@code QIANFAN_ACCESS_KEY}/{@code QIANFAN_SECRET_KEY}; see {@link LlmSettings})
 * @param providerCount how many providers ({@code PROVIDER_COUNT}, 2)
 * @param providerDubboPort Dubbo port of provider 1, then +1 each
 * ({@code PROVIDER_DUBBO_PORT}, 50051)
 * @param providerHttpPort actuator port of provider 1, then +1 each
 * ({@code PROVIDER_HTTP_PORT}, 8081)
 * @param clientPort client HTTP port ({@code CLIENT_PORT}, 8080)
 * @param tenantId the client's tenant ({@code CHAT_TENANT_ID}, {@code demo})
 * @param nodeMaxHeap heap cap of each node JVM ({@code NODE_MAX_HEAP}, {@code 384m})
 * @param readyTimeout how long a node may take to become ready
 * ({@code READY_TIMEOUT_SECONDS}, 180)
 * @param allNodeProperties {@code --key=value} arguments
 * @param providerProperties {@code --provider:key=value} arguments
 * @param clientProperties {@code --client:key=value} arguments
 * @param help whether {@code --help} was asked
 */
record LauncherSettings(Path home, Path nodesDir, int zkPort, RegistrySettings registry, String redisUrl, int redisPort,
		int standInPort, Duration standInTokenDelay, LlmSettings llm, int providerCount, int providerDubboPort,
		int providerHttpPort, int clientPort, String tenantId, String nodeMaxHeap, Duration readyTimeout,
		Map<String, String> allNodeProperties, Map<String, String> providerProperties,
		Map<String, String> clientProperties, boolean help) {

	static final String NODES_DIR_PROPERTY = "chatrelay.nodes.dir";

	/** Any non-empty key satisfies the stand-in. */
	static final String STAND_IN_API_KEY = LlmSettings.STAND_IN_OPENAI_KEY;

	private static final int MAX_PROVIDERS = 9;

	LauncherSettings {
		Objects.requireNonNull(home, "home");
		Objects.requireNonNull(nodesDir, "nodesDir");
		Objects.requireNonNull(registry, "registry");
		Objects.requireNonNull(llm, "llm");
		allNodeProperties = Map.copyOf(allNodeProperties);
		providerProperties = Map.copyOf(providerProperties);
		clientProperties = Map.copyOf(clientProperties);
	}

	/**
	 * Read the settings.
	 * @param env the environment
	 * @param systemProperties the system properties
	 * @param args the command line
	 * @param defaultNodesDir where the node jars are unless {@code chatrelay.nodes.dir}
	 * says otherwise
	 * @return the settings
	 * @throws IllegalArgumentException naming the variable or argument that is wrong
	 */
	static LauncherSettings parse(Map<String, String> env, Map<String, String> systemProperties, List<String> args,
			Path defaultNodesDir) {
		Map<String, String> all = new LinkedHashMap<>();
		Map<String, String> providers = new LinkedHashMap<>();
		Map<String, String> clients = new LinkedHashMap<>();
		boolean help = false;
		for (String arg : args) {
			if ("--help".equals(arg) || "-h".equals(arg)) {
				help = true;
			}
			else if (arg.startsWith("--provider:")) {
				putProperty(providers, arg, arg.substring("--provider:".length()));
			}
			else if (arg.startsWith("--client:")) {
				putProperty(clients, arg, arg.substring("--client:".length()));
			}
			else if (arg.startsWith("--")) {
				putProperty(all, arg, arg.substring(2));
			}
			else {
				throw new IllegalArgumentException(unknownArgument(arg));
			}
		}
		String nodesDir = systemProperties.get(NODES_DIR_PROPERTY);
		int providerCount = intValue(env, "PROVIDER_COUNT", 2);
		if (providerCount < 1 || providerCount > MAX_PROVIDERS) {
			throw new IllegalArgumentException("PROVIDER_COUNT must be between 1 and " + MAX_PROVIDERS);
		}
		long tokenDelayMs = intValue(env, "STANDIN_TOKEN_DELAY_MS", 20);
		if (tokenDelayMs < 0) {
			throw new IllegalArgumentException("STANDIN_TOKEN_DELAY_MS must not be negative");
		}
		int readySeconds = intValue(env, "READY_TIMEOUT_SECONDS", 180);
		if (readySeconds < 1) {
			throw new IllegalArgumentException("READY_TIMEOUT_SECONDS must be positive");
		}
		LauncherSettings settings = new LauncherSettings(
				Path.of(text(env, "CHATRELAY_HOME", ".chatrelay")).toAbsolutePath().normalize(),
				(nodesDir != null && !nodesDir.isBlank()) ? Path.of(nodesDir).toAbsolutePath().normalize()
						: defaultNodesDir,
				port(env, "ZK_PORT", 2181), RegistrySettings.parse(env), blankToNull(env.get("REDIS_URL")),
				port(env, "REDIS_PORT", 6379), port(env, "STANDIN_PORT", 18000), Duration.ofMillis(tokenDelayMs),
				LlmSettings.parse(env), providerCount, port(env, "PROVIDER_DUBBO_PORT", 50051),
				port(env, "PROVIDER_HTTP_PORT", 8081), port(env, "CLIENT_PORT", 8080),
				text(env, "CHAT_TENANT_ID", "demo"), text(env, "NODE_MAX_HEAP", "384m"),
				Duration.ofSeconds(readySeconds), all, providers, clients, help);
		settings.checkPortsDistinct();
		return settings;
	}

	/** Whether any LLM vendor is served by the stand-in. */
	boolean usesStandIn() {
		return this.llm.usesStandIn();
	}

	/** The real OpenAI key, or {@code null} when OpenAI is the stand-in. */
	String openAiApiKey() {
		return this.llm.openAiApiKey();
	}

	/** The real OpenAI endpoint (used only with a key). */
	String openAiBaseUrl() {
		return this.llm.openAiBaseUrl();
	}

	boolean usesEmbeddedRedis() {
		return this.redisUrl == null;
	}

	int providerDubboPort(int provider) {
		return this.providerDubboPort + provider - 1;
	}

	int providerHttpPort(int provider) {
		return this.providerHttpPort + provider - 1;
	}

	Path logDir() {
		return this.home.resolve("logs");
	}

	Path nodeWorkDir(String node) {
		return this.home.resolve("run").resolve(node);
	}

	/** Properties for provider nodes: shared ones, then provider ones. */
	Map<String, String> providerNodeProperties() {
		Map<String, String> properties = new LinkedHashMap<>(this.allNodeProperties);
		properties.putAll(this.providerProperties);
		return properties;
	}

	/** Properties for client nodes: shared ones, then client ones. */
	Map<String, String> clientNodeProperties() {
		Map<String, String> properties = new LinkedHashMap<>(this.allNodeProperties);
		properties.putAll(this.clientProperties);
		return properties;
	}

	/**
	 * Every port this system will listen on, with the setting that moves it.
	 * @return the ports in start order
	 */
	List<PortUse> ports() {
		List<PortUse> ports = new ArrayList<>();
		if (this.registry.embedded()) {
			ports.add(new PortUse(this.zkPort, "ZooKeeper", "ZK_PORT (or REGISTRY for your own Nacos or ZooKeeper)"));
		}
		if (usesEmbeddedRedis()) {
			ports.add(new PortUse(this.redisPort, "Redis", "REDIS_PORT (or REDIS_URL for your own Redis)"));
		}
		if (usesStandIn()) {
			ports.add(new PortUse(this.standInPort, "LLM stand-in", "STANDIN_PORT"));
		}
		for (int provider = 1; provider <= this.providerCount; provider++) {
			ports.add(new PortUse(providerDubboPort(provider), "provider-" + provider + " Dubbo",
					"PROVIDER_DUBBO_PORT (provider n uses it + n - 1)"));
			ports.add(new PortUse(providerHttpPort(provider), "provider-" + provider + " actuator HTTP",
					"PROVIDER_HTTP_PORT (provider n uses it + n - 1)"));
		}
		ports.add(new PortUse(this.clientPort, "client HTTP", "CLIENT_PORT"));
		return ports;
	}

	@Override
	public String toString() {
		return "LauncherSettings[home=" + this.home + ", nodesDir=" + this.nodesDir + ", registry="
				+ (this.registry.embedded() ? "embedded ZooKeeper:" + this.zkPort : this.registry) + ", redis="
				+ (usesEmbeddedRedis() ? "embedded:" + this.redisPort : Secrets.maskUrl(this.redisUrl)) + ", llm=["
				+ this.llm + (usesStandIn() ? ", stand-in port " + this.standInPort : "") + "]" + ", providers="
				+ this.providerCount + ", clientPort=" + this.clientPort + ", tenant=" + this.tenantId + "]";
	}

	private void checkPortsDistinct() {
		Map<Integer, PortUse> seen = new HashMap<>();
		for (PortUse use : ports()) {
			PortUse other = seen.putIfAbsent(use.port(), use);
			if (other != null) {
				throw new IllegalArgumentException("Port " + use.port() + " is set for both " + other.what() + " ("
						+ other.setting() + ") and " + use.what() + " (" + use.setting() + ")");
			}
			if (use.port() > 65535) {
				throw new IllegalArgumentException(
						"Port " + use.port() + " for " + use.what() + " is out of range: change " + use.setting());
			}
		}
	}

	private static void putProperty(Map<String, String> target, String arg, String keyValue) {
		int equals = keyValue.indexOf('=');
		if (equals <= 0) {
			throw new IllegalArgumentException(unknownArgument(arg));
		}
		target.put(keyValue.substring(0, equals), keyValue.substring(equals + 1));
	}

	private static String unknownArgument(String arg) {
		return "Unknown argument '" + Secrets.maskArgument(arg) + "': use --key=value (every node),"
				+ " --provider:key=value, --client:key=value or --help";
	}

	private static int port(Map<String, String> env, String name, int defaultPort) {
		int port = intValue(env, name, defaultPort);
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException(name + " must be a port number (1-65535), got " + port);
		}
		return port;
	}

	static int intValue(Map<String, String> env, String name, int defaultValue) {
		String value = blankToNull(env.get(name));
		if (value == null) {
			return defaultValue;
		}
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
		}
	}

	static String text(Map<String, String> env, String name, String defaultValue) {
		String value = blankToNull(env.get(name));
		return (value != null) ? value.trim() : defaultValue;
	}

	static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	static String stripTrailingSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	/**
	 * A port the system listens on.
	 *
	 * @param port the port
	 * @param what who listens there
	 * @param setting what moves it
	 */
	record PortUse(int port, String what, String setting) {
	}

}
