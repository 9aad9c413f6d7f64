package io.chatrelay.standalone.system;

import java.time.Duration;
import java.util.Map;

import io.chatrelay.standalone.launcher.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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

	private static DrillSystem system;

	@BeforeAll
	static void startSystem() throws Exception {
		system = DrillSystem.start("fault-drills");
	}

	@AfterAll
	static void stopSystem() {
		if (system != null) {
			system.close();
		}
	}

	@Test
	@Order(1)
	void f_theSameMessageDeliveredThreeTimesAtOnceToTwoNodesIsAnsweredOnce() throws Exception {
		DrillLoad load = system.load("f-duplicates");

		load.run(5, Duration.ofSeconds(6), 3, Map.of());

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(60)));
	}

	@Test
	@Order(2)
	void g_aProviderFrozenFor40SecondsUnderLoadCostsNoMessage() throws Exception {
		NodeProcess frozen = system.cluster.provider(1);
		DrillLoad load = system.load("g-frozen-provider");

		load.run(6, Duration.ofSeconds(50), 1, Map.of(Duration.ofSeconds(5), () -> DrillSystem.signal("STOP", frozen),
				Duration.ofSeconds(45), () -> DrillSystem.signal("CONT", frozen)));

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(150)));
	}

	@Test
	@Order(3)
	void b_aClientNodeKilledWithMessagesInFlightLosesNone() throws Exception {
		DrillLoad load = system.load("b-kill-client");

		load.run(6, Duration.ofSeconds(20), 1, Map.of(Duration.ofSeconds(6), system::killSecondClient));

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

	@Test
	@Order(4)
	void a_aProviderKilledUnderLoadLosesNothing() throws Exception {
		DrillLoad load = system.load("a-kill-provider");

		load.run(6, Duration.ofSeconds(20), 1, Map.of(Duration.ofSeconds(6), () -> system.cluster.provider(0).kill()));

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(90)));
	}

}
