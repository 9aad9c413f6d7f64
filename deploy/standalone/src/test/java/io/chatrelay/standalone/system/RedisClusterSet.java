package io.chatrelay.standalone.system;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.chatrelay.standalone.infra.EmbeddedRedis;
import io.chatrelay.standalone.infra.Ports;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of six {@code redis-server} processes on loopback: three primaries with
 * a third of the slots each and a replica of each, joined with {@code CLUSTER MEET},
 * {@code CLUSTER ADDSLOTSRANGE} and {@code CLUSTER REPLICATE} (no {@code redis-cli}
 * needed), with the ACL of {@link RedisAcl}. A node is failed after 2 s without an
 * answer.
 */
final class RedisClusterSet implements AutoCloseable {

	private static final int SLOTS = 16384;

	private final List<EmbeddedRedis> nodes;

	private RedisClusterSet(List<EmbeddedRedis> nodes) {
		this.nodes = nodes;
	}

	static RedisClusterSet start(Path dir) throws IOException {
		List<EmbeddedRedis> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < 6; i++) {
				List<String> settings = new ArrayList<>(RedisAcl.serverSettings());
				settings.addAll(List.of("cluster-enabled yes", "cluster-config-file nodes.conf",
						"cluster-node-timeout 2000", "cluster-replica-validity-factor 0"));
				nodes.add(EmbeddedRedis.start(0, dir.resolve("node-" + i), settings));
			}
			RedisClusterSet set = new RedisClusterSet(nodes);
			set.join();
			return set;
		}
		catch (IOException | RuntimeException ex) {
			nodes.forEach(EmbeddedRedis::close);
			throw ex;
		}
	}

	private void join() {
		try (Jedis first = RedisAcl.admin(this.nodes.get(0).port())) {
			for (EmbeddedRedis node : this.nodes.subList(1, this.nodes.size())) {
				first.clusterMeet(Ports.LOOPBACK, node.port());
			}
		}
		for (int i = 0; i < 3; i++) {
			try (Jedis primary = RedisAcl.admin(this.nodes.get(i).port())) {
				// ADDSLOTSRANGE is Redis 7; the bundled server is 6.2.
				primary.clusterAddSlots(java.util.stream.IntStream.range(i * SLOTS / 3, (i + 1) * SLOTS / 3).toArray());
			}
		}
		await("every node knows the other five", () -> this.nodes.stream().allMatch((node) -> {
			try (Jedis jedis = RedisAcl.admin(node.port())) {
				return jedis.clusterNodes().lines().filter((line) -> !line.contains("handshake")).count() == 6;
			}
		}));
		for (int i = 0; i < 3; i++) {
			String primaryId;
			try (Jedis primary = RedisAcl.admin(this.nodes.get(i).port())) {
				primaryId = primary.clusterMyId();
			}
			try (Jedis replica = RedisAcl.admin(this.nodes.get(i + 3).port())) {
				replica.clusterReplicate(primaryId);
			}
		}
		await("the cluster is ok and every replica in sync", () -> this.nodes.stream().allMatch((node) -> {
			try (Jedis jedis = RedisAcl.admin(node.port())) {
				String replication = jedis.info("replication");
				return jedis.clusterInfo().contains("cluster_state:ok")
						&& (replication.contains("role:master") || replication.contains("master_link_status:up"));
			}
		}));
	}

	/**
	 * What a client node needs to use it.
	 * @return {@code chat.client.redis.*} properties
	 */
	Map<String, String> clientProperties() {
		return Map.of("chat.client.redis.mode", "cluster", "chat.client.redis.cluster.nodes",
				this.nodes.subList(0, 3)
					.stream()
					.map((node) -> Ports.LOOPBACK + ":" + node.port())
					.collect(Collectors.joining(",")),
				"chat.client.redis.username", RedisAcl.USER, "chat.client.redis.password", RedisAcl.PASSWORD);
	}

	/**
	 * Kill ({@code SIGKILL}) the primary that holds a key's slot.
	 * @param key e.g. a tenant's inbox {@code cr:{it}:inbox}
	 * @return the killed node's port
	 */
	int killPrimaryOf(String key) {
		int slot = JedisClusterCRC16.getSlot(key);
		EmbeddedRedis primary = this.nodes.get(slot * 3 / SLOTS);
		try (Jedis jedis = RedisAcl.admin(primary.port())) {
			if (!jedis.info("replication").contains("role:master")) {
				throw new IllegalStateException("Node " + primary.port() + " is no longer a primary");
			}
		}
		primary.kill();
		return primary.port();
	}

	/**
	 * Start a killed node again on its port with its data and cluster state, as an
	 * orchestrator would; it rejoins as a replica of the node that took over.
	 * @param port its port
	 */
	void restart(int port) {
		this.nodes.stream().filter((node) -> node.port() == port).findFirst().orElseThrow().start();
	}

	/**
	 * Wait until the killed primary's replica serves its slots.
	 * @param key a key of those slots
	 * @param timeout how long
	 * @return how long it took, in milliseconds
	 */
	long awaitFailover(String key, Duration timeout) {
		int slot = JedisClusterCRC16.getSlot(key);
		EmbeddedRedis replica = this.nodes.get(slot * 3 / SLOTS + 3);
		long started = System.nanoTime();
		long deadline = started + timeout.toNanos();
		while (true) {
			try (Jedis jedis = RedisAcl.admin(replica.port())) {
				if (jedis.info("replication").contains("role:master")
						&& jedis.clusterInfo().contains("cluster_state:ok")) {
					return (System.nanoTime() - started) / 1_000_000;
				}
			}
			catch (RuntimeException ex) {
				// not yet
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("No replica took over slot " + slot + " within " + timeout);
			}
			RedisAcl.pause(100);
		}
	}

	private static void await(String what, java.util.function.BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// not yet
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The Redis Cluster did not form: " + what);
			}
			RedisAcl.pause(200);
		}
	}

	@Override
	public void close() {
		this.nodes.forEach(EmbeddedRedis::close);
	}

}
