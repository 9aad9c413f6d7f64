package io.chatrelay.standalone.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatrelay.standalone.launcher.NodeProcess;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system the fault drills run on: 2 providers, 2 client nodes with the DingTalk
 * channel, a registry (ZooKeeper or Nacos), redis-server, WireMock for OpenAI (300 ms per
 * answer) and for DingTalk. Callbacks go round robin over the client nodes, like a load
 * balancer in front of them, skipping the second one once it was killed.
 */
final class DrillSystem implements AutoCloseable {

	private static final Map<String, String> CLIENT = Map.of("chat.client.channel.dingtalk.app-key",
			DingTalkWebhooks.APP_KEY, "chat.client.channel.dingtalk.app-secret", DingTalkWebhooks.APP_SECRET,
			"chat.client.channel.dingtalk.robot-code", DingTalkWebhooks.ROBOT_CODE,
			"chat.client.channel.dingtalk.session-webhook-http-hosts", "localhost", "chat.client.inbox.claim-idle",
			"5s", "chat.client.inbox.retry-backoff", "500ms");

	final WireMockServer openAi;

	final WireMockServer dingTalk;

	final SystemCluster cluster;

	final NodeProcess secondClient;

	private final AtomicInteger turn = new AtomicInteger();

	private volatile boolean secondClientAlive = true;

	private DrillSystem(WireMockServer openAi, WireMockServer dingTalk, SystemCluster cluster,
			NodeProcess secondClient) {
		this.openAi = openAi;
		this.dingTalk = dingTalk;
		this.cluster = cluster;
		this.secondClient = secondClient;
	}

	/**
	 * Start it and wait until a chat is answered.
	 * @param name a directory name under {@code target/it}
	 * @return the running system
	 * @throws Exception if a part does not start
	 */
	static DrillSystem start(String name) throws Exception {
		return start(name, null);
	}

	/**
	 * Start it on a registry that is already running and wait until a chat is answered.
	 * @param name a directory name under {@code target/it}
	 * @param registry the registry and config center, or {@code null} for an embedded
	 * ZooKeeper
	 * @return the running system
	 * @throws Exception if a part does not start
	 */
	static DrillSystem start(String name, Registry registry) throws Exception {
		return start(name, registry, Map.of());
	}

	/**
	 * Start it with more client settings (another Redis, for example) and wait until a
	 * chat is answered.
	 * @param name a directory name under {@code target/it}
	 * @param registry the registry and config center, or {@code null} for an embedded
	 * ZooKeeper
	 * @param clientProperties more Spring properties for both client nodes
	 * @return the running system
	 * @throws Exception if a part does not start
	 */
	static DrillSystem start(String name, Registry registry, Map<String, String> clientProperties) throws Exception {
		return start(name, registry, clientProperties, 2);
	}

	/**
	 * Start it with more client settings and a number of providers, and wait until a chat
	 * is answered.
	 * @param name a directory name under {@code target/it}
	 * @param registry the registry and config center, or {@code null} for an embedded
	 * ZooKeeper
	 * @param clientProperties more Spring properties for both client nodes
	 * @param providers how many providers (drills of the clients' Redis need one)
	 * @return the running system
	 * @throws Exception if a part does not start
	 */
	static DrillSystem start(String name, Registry registry, Map<String, String> clientProperties, int providers)
			throws Exception {
		Map<String, String> client = new java.util.LinkedHashMap<>(CLIENT);
		client.putAll(clientProperties);
		WireMockServer openAi = new WireMockServer(
				options().bindAddress("127.0.0.1").dynamicPort().containerThreads(60));
		openAi.start();
		OpenAiStubs.install(openAi, "drill answer");
		openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(2)
			.willReturn(OpenAiStubs.streamed("drill answer").withFixedDelay(300)));
		WireMockServer dingTalk = new WireMockServer(
				options().bindAddress("127.0.0.1").dynamicPort().containerThreads(60));
		dingTalk.start();
		dingTalk.stubFor(
				post(urlPathEqualTo("/robot/sendBySession")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
		SystemCluster cluster = (registry != null) ? SystemCluster.start(name, registry) : SystemCluster.start(name);
		cluster.startNodes(providers, openAi.baseUrl() + "/v1", Map.of(), client);
		NodeProcess secondClient = cluster.startClient(client);
		cluster.awaitServing(Duration.ofSeconds(60));
		return new DrillSystem(openAi, dingTalk, cluster, secondClient);
	}

	/**
	 * A load of signed DingTalk callbacks on this system.
	 * @param drill the drill's name
	 * @return the load
	 */
	DrillLoad load(String drill) {
		return new DrillLoad(drill, this.dingTalk, this::nextNode);
	}

	/** Kill the second client node ({@code kill -9}); callbacks go to the first only. */
	void killSecondClient() {
		this.secondClientAlive = false;
		this.secondClient.kill();
	}

	private String nextNode() {
		if (this.secondClientAlive && this.turn.getAndIncrement() % 2 == 1) {
			return "http://127.0.0.1:" + this.secondClient.httpPort();
		}
		return this.cluster.clientUrl();
	}

	/**
	 * Every acknowledged message answered exactly once, each conversation in order.
	 * @param result a drill's counts
	 */
	static void assertExactlyOnce(DrillLoad.Result result) {
		assertThat(result.acked()).as("every message acknowledged").isEqualTo(result.sent());
		assertThat(result.lost()).as("lost").isZero();
		assertThat(result.duplicates()).as("duplicates").isZero();
		assertThat(result.conversationsOutOfOrder()).as("conversations answered out of order").isZero();
	}

	/**
	 * Send a node a signal, e.g. {@code STOP} to freeze it and {@code CONT} to resume it.
	 * @param signal the signal's name
	 * @param node the node
	 */
	static void signal(String signal, NodeProcess node) {
		try {
			new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid())).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.cluster.close();
		this.openAi.stop();
		this.dingTalk.stop();
	}

}
