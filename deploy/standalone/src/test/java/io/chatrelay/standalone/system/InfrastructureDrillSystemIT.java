package io.chatrelay.standalone.system;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The slower fault drills, on the infrastructure rather than on one node: Redis restarted
 * mid-load (c), ZooKeeper stopped for 30 s (d), every provider stopped for 60 s and one
 * started again (e). Same system and load as {@link FaultDrillSystemIT}; they take about
 * four minutes, so they run with {@code ./mvnw verify -Pdrills} (README), not by default.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfrastructureDrillSystemIT {

	private static final Map<String, String> CLIENT = Map.of("chat.client.channel.dingtalk.app-key",
			DingTalkWebhooks.APP_KEY, "chat.client.channel.dingtalk.app-secret", DingTalkWebhooks.APP_SECRET,
			"chat.client.channel.dingtalk.robot-code", DingTalkWebhooks.ROBOT_CODE,
			"chat.client.channel.dingtalk.session-webhook-hosts", "localhost", "chat.client.inbox.claim-idle", "5s",
			"chat.client.inbox.retry-backoff", "500ms");

	private static WireMockServer openAi;

	private static WireMockServer dingTalk;

	private static SystemCluster cluster;

	private static NodeProcess secondClient;

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
		cluster = SystemCluster.start("infrastructure-drills");
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
	void d_zooKeeperStoppedFor30SecondsUnderLoadCostsNoMessage() throws Exception {
		DrillLoad load = new DrillLoad("d-registry-down", dingTalk, InfrastructureDrillSystemIT::nextNode);

		load.run(6, Duration.ofSeconds(45), 1, Map.of(Duration.ofSeconds(5), () -> cluster.zooKeeper().stop(),
				Duration.ofSeconds(35), () -> cluster.zooKeeper().restart()));

		FaultDrillSystemIT.assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

	@Test
	@Order(2)
	void c_redisRestartedMidLoadCostsNoMessage() throws Exception {
		DrillLoad load = new DrillLoad("c-redis-restart", dingTalk, InfrastructureDrillSystemIT::nextNode);

		load.run(6, Duration.ofSeconds(25), 1, Map.of(Duration.ofSeconds(8), () -> cluster.redis().stop(),
				Duration.ofSeconds(13), () -> cluster.redis().start()));

		FaultDrillSystemIT.assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

	@Test
	@Order(3)
	void e_allProvidersStoppedFor60SecondsThenOneStartedAnswersTheQueueInOrder() throws Exception {
		DrillLoad load = new DrillLoad("e-no-provider", dingTalk, InfrastructureDrillSystemIT::nextNode);

		load.run(4, Duration.ofSeconds(70), 1, Map.of(Duration.ofSeconds(5), () -> {
			cluster.provider(0).stop(Duration.ofSeconds(30));
			cluster.provider(1).stop(Duration.ofSeconds(30));
		}, Duration.ofSeconds(65), InfrastructureDrillSystemIT::startProvider));

		FaultDrillSystemIT.assertExactlyOnce(load.await(Duration.ofSeconds(150)));
	}

	private static void startProvider() {
		try {
			cluster.startProvider(openAi.baseUrl() + "/v1", Map.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Round robin over the client nodes, like a load balancer in front of them. */
	private static String nextNode() {
		if (turn.getAndIncrement() % 2 == 1) {
			return "http://127.0.0.1:" + secondClient.httpPort();
		}
		return cluster.clientUrl();
	}

}
