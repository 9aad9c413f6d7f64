package io.chatrelay.client.dispatch;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.chatrelay.client.TestRedis;
import io.chatrelay.client.inbox.ChannelMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kept answers on a real redis-server: found by any node, with their progress, never
 * without an expiry, gone once forgotten.
 */
class RedisPendingRepliesIT {

	private static final ChannelMessage MESSAGE = new ChannelMessage("dingtalk", "m1", "dingtalk:u1", "u1", "hi",
			Map.of(), 0);

	private static final String KEY = "cr:{acme}:reply:dingtalk:m1";

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final RedisPendingReplies node1 = new RedisPendingReplies(jedis, "acme", Duration.ofHours(1));

	private final RedisPendingReplies node2 = new RedisPendingReplies(jedis, "acme", Duration.ofHours(1));

	@BeforeAll
	static void startRedis() throws IOException {
		redis = TestRedis.start();
		jedis = redis.client();
	}

	@AfterAll
	static void stopRedis() throws IOException {
		jedis.close();
		redis.close();
	}

	@BeforeEach
	void empty() {
		jedis.flushAll();
	}

	@Test
	void anAnswerKeptOnOneNodeIsFoundWithItsProgressOnAnother() {
		assertThat(this.node2.find(MESSAGE)).isEmpty();

		this.node1.save(MESSAGE, "the answer");
		assertThat(this.node2.find(MESSAGE)).contains(new PendingReplies.Pending("the answer", 0));

		this.node1.delivered(MESSAGE, 2);
		assertThat(this.node2.find(MESSAGE)).contains(new PendingReplies.Pending("the answer", 2));

		this.node2.forget(MESSAGE);
		assertThat(this.node1.find(MESSAGE)).isEmpty();
		assertThat(jedis.exists(KEY)).isFalse();
	}

	@Test
	void everyWriteLeavesTheHashWithItsExpiry() {
		this.node1.save(MESSAGE, "the answer");
		assertThat(jedis.ttl(KEY)).isBetween(3590L, 3600L);

		jedis.persist(KEY);
		this.node1.delivered(MESSAGE, 1);
		assertThat(jedis.ttl(KEY)).isBetween(3590L, 3600L);
	}

}
