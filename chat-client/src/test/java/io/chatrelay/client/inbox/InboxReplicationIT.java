package io.chatrelay.client.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.chatrelay.client.TestRedis;
import io.chatrelay.client.inbox.ChannelInbox.Intake;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code chat.client.redis.acknowledge-replicas}: an accepted message counts as accepted
 * only once a replica holds it ({@code WAIT}), against real redis-server processes.
 */
class InboxReplicationIT {

	private static final Duration TTL = Duration.ofMinutes(10);

	private static final InboxProperties PROPERTIES = new InboxProperties(8, 100, Duration.ofSeconds(60), 5,
			Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(2), 16, Duration.ofDays(7));

	@Test
	void aMessageNoReplicaConfirmsIsRefusedOnEachDeliveryUntilAReplicaHoldsIt() throws Exception {
		try (TestRedis primary = TestRedis.start(); JedisPooled jedis = primary.client()) {
			Inbox inbox = new Inbox(jedis, "acme", PROPERTIES, 1, Duration.ofMillis(200));
			inbox.ensureGroup();
			ChannelMessage message = message("m1");

			long started = System.nanoTime();
			assertThatThrownBy(() -> inbox.accept(message, TTL)).isInstanceOf(JedisException.class)
				.hasMessage("Message wecom:m1 is stored but only 0 of 1 replicas confirmed it within 200 ms");
			assertThat((System.nanoTime() - started) / 1_000_000).as("ms waited").isBetween(150L, 2_000L);
			// The platform delivers it again (it was answered 5xx): still no replica,
			// still 503.
			assertThatThrownBy(() -> inbox.accept(message, TTL)).isInstanceOf(JedisException.class)
				.hasMessageContaining("only 0 of 1 replicas");

			try (TestRedis replica = TestRedis.replicaOf(primary)) {
				awaitInSync(replica.port());

				assertThat(inbox.accept(message, TTL)).as("once a replica holds it").isEqualTo(Intake.DUPLICATE);
			}
			assertThat(jedis.xlen("cr:{acme}:inbox")).as("stored once").isEqualTo(1);
		}
	}

	@Test
	void aReplicaThatDoesNotConfirmInTimeMeans503() throws Exception {
		try (TestRedis primary = TestRedis.start();
				TestRedis replica = TestRedis.replicaOf(primary);
				JedisPooled jedis = primary.client()) {
			awaitInSync(replica.port());
			Inbox inbox = new Inbox(jedis, "acme", PROPERTIES, 1, Duration.ofMillis(300));
			inbox.ensureGroup();
			assertThat(inbox.accept(message("m0"), TTL)).isEqualTo(Intake.QUEUED);

			// The replica stops answering for 2 s (DEBUG SLEEP blocks its only thread).
			Thread sleeper = new Thread(() -> {
				try (Jedis stalled = new Jedis("127.0.0.1", replica.port())) {
					ProtocolCommand debug = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);
					stalled.sendCommand(debug, "SLEEP", "2");
				}
			});
			sleeper.start();
			Thread.sleep(200);

			assertThatThrownBy(() -> inbox.accept(message("m1"), TTL)).isInstanceOf(JedisException.class)
				.hasMessage("Message wecom:m1 is stored but only 0 of 1 replicas confirmed it within 300 ms");
			sleeper.join();
		}
	}

	@Test
	void aMessageIsAcceptedOnceTheReplicaHoldsIt() throws Exception {
		try (TestRedis primary = TestRedis.start();
				TestRedis replica = TestRedis.replicaOf(primary);
				JedisPooled jedis = primary.client();
				JedisPooled replicaClient = replica.client()) {
			awaitInSync(replica.port());
			Inbox inbox = new Inbox(jedis, "acme", PROPERTIES, 1, Duration.ofSeconds(2));
			inbox.ensureGroup();

			assertThat(inbox.accept(message("m1"), TTL)).isEqualTo(Intake.QUEUED);

			assertThat(replicaClient.xlen("cr:{acme}:inbox")).as("entries on the replica, at once").isEqualTo(1);
			assertThat(replicaClient.exists("cr:{acme}:seen:wecom:m1")).isTrue();
		}
	}

	private static void awaitInSync(int replicaPort) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		try (Jedis replica = new Jedis("127.0.0.1", replicaPort)) {
			while (!replica.info("replication").contains("master_link_status:up")) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError("The replica did not sync");
				}
				Thread.sleep(50);
			}
		}
	}

	private static ChannelMessage message(String id) {
		return new ChannelMessage("wecom", id, "conv-a", "user-1", "hello", Map.of("user", "user-1"),
				1_700_000_000_000L);
	}

}
