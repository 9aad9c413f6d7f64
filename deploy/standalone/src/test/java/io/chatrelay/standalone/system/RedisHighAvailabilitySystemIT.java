package io.chatrelay.standalone.system;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.IntToLongFunction;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client nodes on a Redis that survives losing its primary, on real
 * {@code redis-server} processes with ACL: Redis Sentinel (a primary, a replica, three
 * sentinels) and Redis Cluster (three primaries, three replicas). Under a steady stream
 * of signed DingTalk callbacks through two client nodes (one provider: the drill is about
 * the clients' Redis), the primary that holds the tenant's keys is killed
 * ({@code SIGKILL}); the drill counts {@code sent / acked / replied / duplicates / lost};
 * once the replica has taken over, the killed server is started again (it comes back as a
 * replica), as an orchestrator would. The clients acknowledge a callback only once a
 * replica holds it ({@code acknowledge-replicas: 1}; meanwhile they answer 503 and the
 * platform delivers again), so no acknowledged message may be lost; a reply whose
 * completion the dead primary had not yet passed on may be sent again (counted as a
 * duplicate, not failed on).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisHighAvailabilitySystemIT {

	private static final System.Logger log = System.getLogger(RedisHighAvailabilitySystemIT.class.getName());

	/** The tenant's keys share one slot: this one names it. */
	private static final String TENANT_KEY = "cr:{" + SystemCluster.TENANT + "}:inbox";

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

	@Test
	@Order(1)
	void sentinelPromotesTheReplicaWhenThePrimaryIsKilledUnderLoadAndNoAcknowledgedMessageIsLost() throws Exception {
		try (RedisSentinelSet redis = RedisSentinelSet.start(SystemCluster.home("redis-sentinel-set"))) {
			drillPrimaryKilled("redis-sentinel", redis.clientProperties(), redis::killPrimary,
					(killed) -> redis.awaitFailover(killed, FAILOVER_TIMEOUT), redis::restart);
		}
	}

	@Test
	@Order(2)
	void clusterFailsOverToTheReplicaWhenThePrimaryIsKilledUnderLoadAndNoAcknowledgedMessageIsLost() throws Exception {
		try (RedisClusterSet redis = RedisClusterSet.start(SystemCluster.home("redis-cluster-set"))) {
			drillPrimaryKilled("redis-cluster", redis.clientProperties(), () -> redis.killPrimaryOf(TENANT_KEY),
					(killed) -> redis.awaitFailover(TENANT_KEY, FAILOVER_TIMEOUT), redis::restart);
		}
	}

	/**
	 * The drill on a system whose clients use the given Redis: at 5 s the tenant's
	 * primary is killed; once a replica has taken over, the killed server is started
	 * again.
	 */
	private static void drillPrimaryKilled(String name, Map<String, String> redis, IntSupplier killPrimary,
			IntToLongFunction awaitFailover, IntConsumer restart) throws Exception {
		try (DrillSystem system = DrillSystem.start(name, null, clients(redis), 1)) {
			AtomicLong failoverMillis = new AtomicLong(-1);
			DrillLoad load = system.load(name + "-primary-killed");

			load.run(6, Duration.ofSeconds(20), 1, Map.of(Duration.ofSeconds(5), () -> {
				int killed = killPrimary.getAsInt();
				failoverMillis.set(awaitFailover.applyAsLong(killed));
				restart.accept(killed);
			}));

			DrillLoad.Result result = load.await(Duration.ofSeconds(120));
			log.log(System.Logger.Level.INFO, "REDIS {0}: a replica took over {1} ms after the kill; {2}", name,
					failoverMillis.get(), result);
			assertNoAcknowledgedMessageLost(result);
		}
	}

	private static Map<String, String> clients(Map<String, String> redis) {
		Map<String, String> properties = new LinkedHashMap<>(redis);
		properties.put("chat.client.redis.acknowledge-replicas", "1");
		properties.put("chat.client.redis.acknowledge-timeout", "500ms");
		return properties;
	}

	private static void assertNoAcknowledgedMessageLost(DrillLoad.Result result) {
		assertThat(result.acked()).as("every message acknowledged").isEqualTo(result.sent());
		assertThat(result.lost()).as("acknowledged messages never answered").isZero();
		assertThat(result.conversationsOutOfOrder()).as("conversations answered out of order").isZero();
	}

}
