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

/**
 * A primary, a replica and three sentinels watching them ({@code redis-server} and
 * {@code redis-server --sentinel}, the same binary), with ACL: the nodes' user
 * {@value RedisAcl#USER} may touch only {@code cr:*} keys and channels; replication and
 * the sentinels use the default user's password. A sentinel declares the primary down
 * after 2 s.
 */
final class RedisSentinelSet implements AutoCloseable {

	static final String MASTER = "chatrelay";

	private final List<EmbeddedRedis> servers;

	private final List<EmbeddedRedis> sentinels;

	private RedisSentinelSet(List<EmbeddedRedis> servers, List<EmbeddedRedis> sentinels) {
		this.servers = servers;
		this.sentinels = sentinels;
	}

	static RedisSentinelSet start(Path dir) throws IOException {
		List<EmbeddedRedis> servers = new ArrayList<>();
		List<EmbeddedRedis> sentinels = new ArrayList<>();
		try {
			EmbeddedRedis primary = EmbeddedRedis.start(0, dir.resolve("primary"), RedisAcl.serverSettings());
			servers.add(primary);
			List<String> replica = new ArrayList<>(RedisAcl.serverSettings());
			replica.add("replicaof " + Ports.LOOPBACK + " " + primary.port());
			servers.add(EmbeddedRedis.start(0, dir.resolve("replica"), replica));
			for (int i = 1; i <= 3; i++) {
				sentinels.add(EmbeddedRedis.sentinel(0, dir.resolve("sentinel-" + i),
						List.of("sentinel monitor " + MASTER + " " + Ports.LOOPBACK + " " + primary.port() + " 2",
								"sentinel auth-pass " + MASTER + " " + RedisAcl.ADMIN_PASSWORD,
								"sentinel down-after-milliseconds " + MASTER + " 2000",
								"sentinel failover-timeout " + MASTER + " 10000",
								"sentinel parallel-syncs " + MASTER + " 1")));
			}
			RedisSentinelSet set = new RedisSentinelSet(servers, sentinels);
			set.awaitReplicaInSync(Duration.ofSeconds(20));
			return set;
		}
		catch (IOException | RuntimeException ex) {
			servers.forEach(EmbeddedRedis::close);
			sentinels.forEach(EmbeddedRedis::close);
			throw ex;
		}
	}

	/**
	 * What a client node needs to use it.
	 * @return {@code chat.client.redis.*} properties
	 */
	Map<String, String> clientProperties() {
		return Map.of("chat.client.redis.mode", "sentinel", "chat.client.redis.sentinel.master", MASTER,
				"chat.client.redis.sentinel.nodes",
				this.sentinels.stream()
					.map((sentinel) -> Ports.LOOPBACK + ":" + sentinel.port())
					.collect(Collectors.joining(",")),
				"chat.client.redis.username", RedisAcl.USER, "chat.client.redis.password", RedisAcl.PASSWORD);
	}

	/**
	 * The port of the server the sentinels call the primary now.
	 * @return its port
	 */
	int primaryPort() {
		for (EmbeddedRedis sentinel : this.sentinels) {
			try (Jedis jedis = new Jedis(Ports.LOOPBACK, sentinel.port(), 1000)) {
				return Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER).get(1));
			}
			catch (RuntimeException ex) {
				// ask the next sentinel
			}
		}
		throw new IllegalStateException("No sentinel answered");
	}

	/**
	 * Kill the primary ({@code SIGKILL}).
	 * @return its port
	 */
	int killPrimary() {
		int port = primaryPort();
		this.servers.stream().filter((server) -> server.port() == port).findFirst().orElseThrow().kill();
		return port;
	}

	/**
	 * Start a killed server again on its port with its data, as an orchestrator would;
	 * the sentinels make it a replica of the new primary.
	 * @param port its port
	 */
	void restart(int port) {
		this.servers.stream().filter((server) -> server.port() == port).findFirst().orElseThrow().start();
	}

	/**
	 * Wait until the sentinels name another primary.
	 * @param old the killed primary's port
	 * @param timeout how long
	 * @return how long it took, in milliseconds
	 */
	long awaitFailover(int old, Duration timeout) {
		long started = System.nanoTime();
		long deadline = started + timeout.toNanos();
		while (primaryPort() == old) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("The sentinels did not promote a replica within " + timeout);
			}
			RedisAcl.pause(100);
		}
		return (System.nanoTime() - started) / 1_000_000;
	}

	private void awaitReplicaInSync(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try (Jedis replica = RedisAcl.admin(this.servers.get(1).port())) {
				if (replica.info("replication").contains("master_link_status:up")) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// not yet
			}
			RedisAcl.pause(100);
		}
		throw new IllegalStateException("The replica did not sync with the primary within " + timeout);
	}

	@Override
	public void close() {
		this.sentinels.forEach(EmbeddedRedis::close);
		this.servers.forEach(EmbeddedRedis::close);
	}

}
