package io.chatrelay.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.loadtest.standin.LlmStandIn;
import io.chatrelay.loadtest.standin.PlatformStandIn;
import io.chatrelay.loadtest.traffic.DingTalkCallbacks;
import io.chatrelay.loadtest.traffic.FeishuCallbacks;
import io.chatrelay.loadtest.traffic.WeComCallbacks;
import io.chatrelay.standalone.infra.EmbeddedRedis;
import io.chatrelay.standalone.infra.EmbeddedZooKeeper;
import io.chatrelay.standalone.infra.Ports;
import io.chatrelay.standalone.infra.RoutingPublisher;
import io.chatrelay.standalone.infra.ThrowawayCa;
import io.chatrelay.standalone.launcher.NodeCommand;
import io.chatrelay.standalone.launcher.NodeProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system the load tool starts for itself, co-located on 127.0.0.1 as issue 6 says: an
 * embedded ZooKeeper (registry and config center) in this JVM, a real redis-server, one
 * chat-provider JVM pointed at the LLM stand-in (OpenAI and Zhipu), and one chat-client
 * JVM with the DingTalk, Feishu and WeCom app channels pointed at the platform stand-in.
 *
 * <p>
 * Settings that differ from the nodes' defaults, and why:
 * <ul>
 * <li>provider: the per-vendor rate limiter (200 calls/s by default) and bulkhead (500 in
 * flight) are raised far above the load, so the benchmark measures the gateway, not our
 * own throttle;</li>
 * <li>client: {@code chat.client.inbox.concurrency} and {@code max-backlog} per scenario
 * (see {@link Settings});</li>
 * <li>both: {@code -Xmx} as given (default 512m, the heap target of issue 6);</li>
 * <li>both: issue 13's controls as {@code --security} says ({@link Security}): on, mutual
 * TLS, web chats with an API key ({@link WebApiKey}), quotas and word lists published
 * ({@link SecurityDocuments}); off, none of them.</li>
 * </ul>
 */
final class SystemUnderTest implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SystemUnderTest.class);

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

	private final EmbeddedZooKeeper zooKeeper;

	private final EmbeddedRedis redis;

	private final NodeProcess provider;

	private final NodeProcess client;

	private final WebApiKey webKey;

	private SystemUnderTest(EmbeddedZooKeeper zooKeeper, EmbeddedRedis redis, NodeProcess provider, NodeProcess client,
			WebApiKey webKey) {
		this.zooKeeper = zooKeeper;
		this.redis = redis;
		this.provider = provider;
		this.client = client;
		this.webKey = webKey;
	}

	/**
	 * Start everything and wait until a web chat is answered.
	 * @param home where logs and data go (emptied first)
	 * @param nodes the directory holding {@code chat-provider.jar} and
	 * {@code chat-client.jar}
	 * @param llm the LLM stand-in
	 * @param platformApi the platform stand-in's base URL (Feishu's and WeCom's APIs)
	 * @param settings the node settings
	 * @return the running system
	 * @throws IOException if a part cannot start
	 * @throws InterruptedException if interrupted while creating the web chats' API key
	 */
	static SystemUnderTest start(Path home, Path nodes, LlmStandIn llm, String platformApi, Settings settings)
			throws IOException, InterruptedException {
		// A fresh Redis and ZooKeeper: an earlier run's inbox would be answered first.
		deleteRecursively(home);
		Files.createDirectories(home);
		EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(0, home.resolve("zk"));
		EmbeddedRedis redis = null;
		NodeProcess provider = null;
		NodeProcess client = null;
		try {
			redis = EmbeddedRedis.start(0, home.resolve("redis"));
			boolean secure = settings.security() == Security.ON;
			if (secure) {
				// Published before the nodes start: each reads them, then listens.
				RoutingPublisher.publish(zooKeeper.connectString(), SecurityDocuments.QUOTAS_KEY,
						SecurityDocuments.quotas());
				RoutingPublisher.publish(zooKeeper.connectString(), RoutingPublisher.WORDS_KEY,
						SecurityDocuments.words());
			}
			// With --security=on the nodes talk mutual TLS as in production.
			ThrowawayCa ca = secure ? ThrowawayCa.create(home.resolve("tls")) : null;
			String adminKey = secure ? WebApiKey.newBootstrapAdminKey() : null;
			int providerHttp = Ports.freePort();
			NodeCommand providerCommand = node(NodeProcess.provider("provider-1", nodes.resolve("chat-provider.jar"),
					providerHttp, Ports.freePort(), zooKeeper.registryAddress(), llm.openAiBaseUrl(),
					"sk-loadtest-not-a-real-key"), home, settings, "provider-1")
				.property("chat.provider.bind-address", Ports.LOOPBACK)
				.properties(secure ? ca.issueProvider("provider-1").providerProperties()
						: Map.of("chat.provider.tls.enabled", "false"))
				.property("chat.provider.filter.enabled", Boolean.toString(secure))
				.property("chat.provider.model.zhipu.base-url", llm.zhipuBaseUrl())
				.property("chat.provider.model.zhipu.api-key", "zhipu-loadtest-key")
				.property("resilience4j.ratelimiter.configs.default.limit-for-period", "1000000")
				.property("resilience4j.bulkhead.configs.default.max-concurrent-calls", "100000")
				.properties(settings.providerProperties());
			provider = providerCommand.start();
			NodeCommand clientCommand = node(NodeProcess.client("client-1", nodes.resolve("chat-client.jar"),
					Ports.freePort(), zooKeeper.registryAddress(), redis.url(), "load"), home, settings, "client-1")
				.properties(secure ? ca.issueClient("client-1", "load").clientProperties()
						: Map.of("chat.client.tls.enabled", "false"))
				.property("chat.client.channel.dingtalk.app-key", DingTalkCallbacks.APP_KEY)
				.property("chat.client.channel.dingtalk.app-secret", DingTalkCallbacks.APP_SECRET)
				.property("chat.client.channel.dingtalk.robot-code", DingTalkCallbacks.ROBOT_CODE)
				.property("chat.client.channel.dingtalk.session-webhook-http-hosts", Ports.LOOPBACK + ",localhost")
				.property("chat.client.channel.feishu.app-id", FeishuCallbacks.APP_ID)
				.property("chat.client.channel.feishu.app-secret", FeishuCallbacks.APP_SECRET)
				.property("chat.client.channel.feishu.verification-token", FeishuCallbacks.VERIFICATION_TOKEN)
				.property("chat.client.channel.feishu.encrypt-key", FeishuCallbacks.ENCRYPT_KEY)
				.property("chat.client.channel.feishu.api-base-url", platformApi)
				.property("chat.client.channel.wecom.corp-id", WeComCallbacks.CORP_ID)
				.property("chat.client.channel.wecom.agent-id", WeComCallbacks.AGENT_ID)
				.property("chat.client.channel.wecom.secret", WeComCallbacks.SECRET)
				.property("chat.client.channel.wecom.token", WeComCallbacks.TOKEN)
				.property("chat.client.channel.wecom.encoding-aes-key", WeComCallbacks.ENCODING_AES_KEY)
				.property("chat.client.channel.wecom.api-base-url", platformApi)
				// Off: web chats name their users (loopback only). On: they carry an API
				// key, which the bootstrap admin key creates; NodeCommand passes that
				// secret in the node's environment, not on its command line.
				.property("chat.client.security.anonymous", Boolean.toString(!secure))
				.property("chat.client.quota.enabled", Boolean.toString(secure))
				.property("management.server.address", Ports.LOOPBACK)
				.property("chat.client.inbox.concurrency", Integer.toString(settings.inboxConcurrency()))
				.property("chat.client.inbox.max-backlog", Integer.toString(settings.inboxMaxBacklog()));
			if (secure) {
				clientCommand.property(WebApiKey.BOOTSTRAP_ADMIN_KEY_PROPERTY, adminKey);
			}
			client = clientCommand.properties(settings.clientProperties()).start();
			NodeProcess p = provider;
			NodeProcess c = client;
			CompletableFuture
				.allOf(CompletableFuture.runAsync(() -> p.awaitReady(READY_TIMEOUT)),
						CompletableFuture.runAsync(() -> c.awaitReady(READY_TIMEOUT)))
				.join();
			WebApiKey webKey = null;
			if (secure) {
				webKey = WebApiKey.create("http://" + Ports.LOOPBACK + ":" + client.httpPort(), adminKey);
				log.info("Security on: a web chat without a key is refused (401); web chats carry API key {}",
						webKey.id());
			}
			else {
				log.info("Security off: plaintext Triple, anonymous web chats, no quotas, no word filter");
			}
			return new SystemUnderTest(zooKeeper, redis, provider, client, webKey);
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			closeAll(client, provider, redis, zooKeeper);
			throw ex;
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (java.util.stream.Stream<Path> paths = Files.walk(path)) {
			for (Path each : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(each);
			}
		}
	}

	private static NodeCommand node(NodeCommand command, Path home, Settings settings, String name) {
		command.workDir(home.resolve("run"))
			.logDir(home.resolve("logs"))
			.maxHeap(settings.maxHeap())
			.property("server.address", Ports.LOOPBACK)
			// With every interface ignored, Dubbo logs two stack traces per local-address
			// lookup.
			.property("logging.level.org.apache.dubbo.common.utils.NetUtils", "ERROR");
		settings.jvmArgs().forEach(command::jvmArg);
		if (settings.jfr()) {
			command.jvmArg("-XX:StartFlightRecording=filename=" + home.resolve("logs").resolve(name + ".jfr")
					+ ",settings=profile,dumponexit=true");
		}
		return command;
	}

	/**
	 * What a run talks to.
	 * @param llm the LLM stand-in
	 * @param platform the platform stand-in
	 * @return the environment
	 */
	Environment environment(LlmStandIn llm, PlatformStandIn platform) {
		return new Environment("http://" + Ports.LOOPBACK + ":" + this.client.httpPort(), llm, platform,
				this.client.pid(), this.provider.pid(), "http://" + Ports.LOOPBACK + ":" + this.provider.httpPort(),
				this.zooKeeper.connectString(), this.client.management(), this.provider.management(), this.webKey);
	}

	NodeProcess client() {
		return this.client;
	}

	NodeProcess provider() {
		return this.provider;
	}

	@Override
	public void close() {
		closeAll(this.client, this.provider, this.redis, this.zooKeeper);
	}

	private static void closeAll(NodeProcess client, NodeProcess provider, EmbeddedRedis redis,
			EmbeddedZooKeeper zooKeeper) {
		for (AutoCloseable part : new AutoCloseable[] { client, provider, redis, zooKeeper }) {
			if (part != null) {
				try {
					part.close();
				}
				catch (Exception ex) {
					log.warn("Stopping {} failed: {}", part, ex.toString());
				}
			}
		}
	}

	/**
	 * How the nodes are started.
	 *
	 * @param inboxConcurrency {@code chat.client.inbox.concurrency}: messages the client
	 * answers at once (default 256); it must reach rate × model latency, or messages
	 * queue in the inbox
	 * @param inboxMaxBacklog {@code chat.client.inbox.max-backlog} (default 10,000)
	 * @param maxHeap {@code -Xmx} of both nodes
	 * @param jfr whether to record a JFR profile of each node into its log directory
	 * @param clientProperties more client properties
	 * @param providerProperties more provider properties
	 * @param jvmArgs more JVM arguments of both nodes
	 * @param security issue 13's controls on or off
	 */
	record Settings(int inboxConcurrency, int inboxMaxBacklog, String maxHeap, boolean jfr,
			Map<String, String> clientProperties, Map<String, String> providerProperties, List<String> jvmArgs,
			Security security) {

		Settings {
			clientProperties = new LinkedHashMap<>(clientProperties);
			providerProperties = new LinkedHashMap<>(providerProperties);
			jvmArgs = List.copyOf(jvmArgs);
			Objects.requireNonNull(security, "security");
		}

		/** The nodes' defaults, 512 MiB heaps, no profile, security on. */
		static final Settings DEFAULTS = new Settings(64, 10_000, "512m", false, Map.of(), Map.of(), List.of(),
				Security.ON);

		Settings withInbox(int concurrency, int maxBacklog) {
			return new Settings(concurrency, maxBacklog, this.maxHeap, this.jfr, this.clientProperties,
					this.providerProperties, this.jvmArgs, this.security);
		}

		Settings withHeap(String heap) {
			return new Settings(this.inboxConcurrency, this.inboxMaxBacklog, heap, this.jfr, this.clientProperties,
					this.providerProperties, this.jvmArgs, this.security);
		}

		Settings withJvmArgs(List<String> args) {
			return new Settings(this.inboxConcurrency, this.inboxMaxBacklog, this.maxHeap, this.jfr,
					this.clientProperties, this.providerProperties, args, this.security);
		}

		Settings withClientProperties(Map<String, String> more) {
			Map<String, String> properties = new LinkedHashMap<>(this.clientProperties);
			properties.putAll(more);
			return new Settings(this.inboxConcurrency, this.inboxMaxBacklog, this.maxHeap, this.jfr, properties,
					this.providerProperties, this.jvmArgs, this.security);
		}

		Settings withSecurity(Security mode) {
			return new Settings(this.inboxConcurrency, this.inboxMaxBacklog, this.maxHeap, this.jfr,
					this.clientProperties, this.providerProperties, this.jvmArgs, mode);
		}

	}

}
