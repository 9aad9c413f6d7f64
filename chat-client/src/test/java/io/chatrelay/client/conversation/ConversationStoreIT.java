package io.chatrelay.client.conversation;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The context store against a real redis-server.
 */
class ConversationStoreIT {

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final ObjectMapper json = new ObjectMapper();

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
	void flush() {
		jedis.flushAll();
	}

	@Test
	void keepsTurnsInOrderUnderTheTenantsKey() {
		ConversationStore store = store("acme", Duration.ofMinutes(30), 20);

		store.append("web:u1:c1", new Turn("q1", "a1"));
		store.append("web:u1:c1", new Turn("你好", "您好"));

		assertThat(store.load("web:u1:c1")).containsExactly(new Turn("q1", "a1"), new Turn("你好", "您好"));
		assertThat(jedis.exists("cr:{acme}:ctx:web:u1:c1")).isTrue();
		assertThat(store("other", Duration.ofMinutes(30), 20).load("web:u1:c1")).isEmpty();
	}

	@Test
	void trimsToTheWindow() {
		ConversationStore store = store("acme", Duration.ofMinutes(30), 3);

		IntStream.rangeClosed(1, 10).forEach((i) -> store.append("c", new Turn("q" + i, "a" + i)));

		assertThat(store.load("c")).extracting(Turn::user).containsExactly("q8", "q9", "q10");
		assertThat(jedis.llen("cr:{acme}:ctx:c")).isEqualTo(3);
	}

	@Test
	void everyReadAndWriteRenewsTheExpiry() {
		ConversationStore store = store("acme", Duration.ofMinutes(30), 20);
		store.append("c", new Turn("q", "a"));
		jedis.pexpire("cr:{acme}:ctx:c", 5_000);

		store.load("c");

		assertThat(jedis.pttl("cr:{acme}:ctx:c")).isGreaterThan(29 * 60_000L);
	}

	@Test
	void contextExpiresAfterTheTtlWithoutActivity() throws InterruptedException {
		ConversationStore store = store("acme", Duration.ofMillis(300), 20);
		store.append("c", new Turn("q", "a"));
		assertThat(store.load("c")).hasSize(1);

		Thread.sleep(700);

		assertThat(store.load("c")).isEmpty();
		assertThat(jedis.exists("cr:{acme}:ctx:c")).isFalse();
	}

	@Test
	void clearForgetsTheConversation() {
		ConversationStore store = store("acme", Duration.ofMinutes(30), 20);
		store.append("c", new Turn("q", "a"));

		assertThat(store.clear("c")).isTrue();
		assertThat(store.load("c")).isEmpty();
		assertThat(store.clear("c")).isFalse();
	}

	@Test
	void zeroTurnsStoresNothing() {
		ConversationStore store = store("acme", Duration.ofMinutes(30), 0);
		store.append("c", new Turn("q", "a"));

		assertThat(store.load("c")).isEqualTo(List.of());
		assertThat(jedis.exists("cr:{acme}:ctx:c")).isFalse();
	}

	private ConversationStore store(String tenant, Duration ttl, int maxTurns) {
		return new ConversationStore(jedis, this.json, tenant, ttl, maxTurns);
	}

}
