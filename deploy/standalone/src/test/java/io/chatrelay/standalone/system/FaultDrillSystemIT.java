package io.chatrelay.standalone.system;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatrelay.standalone.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault drills on a running system (2 providers, 2 client nodes, ZooKeeper, redis-server,
 * WireMock for OpenAI with 300 ms per answer and for DingTalk): a steady stream of signed
 * DingTalk callbacks, a fault in the middle, and the count of
 * {@code sent / acked / replied / duplicates / lost}. Every acknowledged message must be
 * answered exactly once, each conversation in order. The drills share one cluster and run
 * in an order that needs no restarts: duplicates, a frozen provider, a killed client, a
 * killed provider.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultDrillSystemIT {

	private static final Map<String, String> CLIENT = Map.of("chat.client.channel.dingtalk.app-key",
			DingTalkWebhooks.APP_KEY, "chat.client.channel.dingtalk.app-secret", DingTalkWebhooks.APP_SECRET,
			"chat.client.channel.dingtalk.robot-code", DingTalkWebhooks.ROBOT_CODE,
			"chat.client.channel.dingtalk.session-webhook-hosts", "localhost", "chat.client.inbox.claim-idle", "5s",
			"chat.client.inbox.retry-backoff", "500ms");

	private static WireMockServer openAi;

	private static WireMockServer dingTalk;

	private static SystemCluster cluster;

	private static NodeProcess secondClient;

	private static volatile boolean secondClientAlive = true;

	private static final AtomicInteger turn = new AtomicInteger();

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(60));
		openAi.start();
		OpenAiStubs.install(openAi, "drill answer");
		openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(2)
			.willReturn(okJson(OpenAiStubs.completion("drill answer")).withFixedDelay(300)));
		dingTalk = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(60));
		dingTalk.start();
		dingTalk.stubFor(
				post(urlPathEqualTo("/robot/sendBySession")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
		cluster = SystemCluster.start("fault-drills");
		cluster.startNodes(2, openAi.baseUrl() + "/v1", Map.of(), CLIENT);
		secondClient = cluster.startClient(CLIENT);
		cluster.awaitServing(Duration.ofSeconds(60));
	}

	@AfterAll
	static void stopSystem() {
		if (cluster != null) {
			cluster.close();
		}
		for (WireMockServer server : new WireMockServer[] { openAi, dingTalk }) {
			if (server != null) {
				server.stop();
			}
		}
	}

	@Test
	@Order(1)
	void f_theSameMessageDeliveredThreeTimesAtOnceToTwoNodesIsAnsweredOnce() throws Exception {
		DrillLoad load = new DrillLoad("f-duplicates", dingTalk, FaultDrillSystemIT::nextNode);

		load.run(5, Duration.ofSeconds(6), 3, Map.of());

		assertExactlyOnce(load.await(Duration.ofSeconds(60)));
	}

	@Test
	@Order(2)
	void g_aProviderFrozenFor40SecondsUnderLoadCostsNoMessage() throws Exception {
		NodeProcess frozen = cluster.provider(1);
		DrillLoad load = new DrillLoad("g-frozen-provider", dingTalk, FaultDrillSystemIT::nextNode);

		load.run(6, Duration.ofSeconds(50), 1, Map.of(Duration.ofSeconds(5), () -> signal("STOP", frozen),
				Duration.ofSeconds(45), () -> signal("CONT", frozen)));

		assertExactlyOnce(load.await(Duration.ofSeconds(150)));
	}

	@Test
	@Order(3)
	void b_aClientNodeKilledWithMessagesInFlightLosesNone() throws Exception {
		DrillLoad load = new DrillLoad("b-kill-client", dingTalk, FaultDrillSystemIT::nextNode);

		load.run(6, Duration.ofSeconds(20), 1, Map.of(Duration.ofSeconds(6), () -> {
			secondClientAlive = false;
			secondClient.kill();
		}));

		assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

	@Test
	@Order(4)
	void a_aProviderKilledUnderLoadLosesNothing() throws Exception {
		DrillLoad load = new DrillLoad("a-kill-provider", dingTalk, FaultDrillSystemIT::nextNode);

		load.run(6, Duration.ofSeconds(20), 1, Map.of(Duration.ofSeconds(6), () -> cluster.provider(0).kill()));

		assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

	static void assertExactlyOnce(DrillLoad.Result result) {
		assertThat(result.acked()).as("every message acknowledged").isEqualTo(result.sent());
		assertThat(result.lost()).as("lost").isZero();
		assertThat(result.duplicates()).as("duplicates").isZero();
		assertThat(result.conversationsOutOfOrder()).as("conversations answered out of order").isZero();
	}

	/** Round robin over the client nodes, like a load balancer in front of them. */
	private static String nextNode() {
		if (secondClientAlive && turn.getAndIncrement() % 2 == 1) {
			return "http://127.0.0.1:" + secondClient.httpPort();
		}
		return cluster.clientUrl();
	}

	private static void signal(String signal, NodeProcess node) {
		try {
			new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid())).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
