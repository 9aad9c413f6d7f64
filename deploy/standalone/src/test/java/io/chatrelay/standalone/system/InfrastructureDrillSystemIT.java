package io.chatrelay.standalone.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The slower fault drills, on the infrastructure rather than on one node: Redis restarted
 * mid-load (c), ZooKeeper stopped for 30 s (d), every provider stopped for 60 s and one
 * started again (e). Same system and load as {@link FaultDrillSystemIT}; they take about
 * four minutes, so they run with {@code ./mvnw verify -Pdrills} (README), not by default.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfrastructureDrillSystemIT {

	private static DrillSystem system;

	private static SystemCluster cluster;

	@BeforeAll
	static void startSystem() throws Exception {
		system = DrillSystem.start("infrastructure-drills");
		cluster = system.cluster;
	}

	@AfterAll
	static void stopSystem() {
		if (system != null) {
			system.close();
		}
	}

	@Test
	@Order(1)
	void d_zooKeeperStoppedFor30SecondsUnderLoadCostsNoMessage() throws Exception {
		DrillLoad load = system.load("d-registry-down");

		load.run(6, Duration.ofSeconds(45), 1, Map.of(Duration.ofSeconds(5), () -> cluster.zooKeeper().stop(),
				Duration.ofSeconds(35), () -> cluster.zooKeeper().restart()));

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

	@Test
	@Order(2)
	void c_redisRestartedMidLoadCostsNoMessage() throws Exception {
		DrillLoad load = system.load("c-redis-restart");

		load.run(6, Duration.ofSeconds(25), 1, Map.of(Duration.ofSeconds(8), () -> cluster.redis().stop(),
				Duration.ofSeconds(13), () -> cluster.redis().start()));

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

	@Test
	@Order(3)
	void e_allProvidersStoppedFor60SecondsThenOneStartedAnswersTheQueueInOrder() throws Exception {
		DrillLoad load = system.load("e-no-provider");

		load.run(4, Duration.ofSeconds(70), 1, Map.of(Duration.ofSeconds(5), () -> {
			cluster.provider(0).stop(Duration.ofSeconds(30));
			cluster.provider(1).stop(Duration.ofSeconds(30));
		}, Duration.ofSeconds(65), InfrastructureDrillSystemIT::startProvider));

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(150)));
	}

	private static void startProvider() {
		try {
			cluster.startProvider(system.openAi.baseUrl() + "/v1", Map.of());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
