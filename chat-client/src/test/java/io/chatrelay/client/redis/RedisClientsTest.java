package io.chatrelay.client.redis;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisClientsTest {

	@Test
	void standaloneIsAPoolToTheUrlsServer() {
		try (UnifiedJedis jedis = RedisClients.create(properties(RedisProperties.Mode.STANDALONE,
				"redis://127.0.0.1:6390/2", new RedisProperties.Sentinel(null, List.of(), null, null), List.of()),
				null)) {
			assertThat(jedis).isInstanceOf(JedisPooled.class);
		}
	}

	@Test
	void sentinelModeNamesTheMissingPropertiesInsteadOfFailingLater() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisClients.create(
					properties(RedisProperties.Mode.SENTINEL, "redis://unused:6379",
							new RedisProperties.Sentinel(" ", List.of("127.0.0.1:26379"), null, null), List.of()),
					null))
			.withMessage("chat.client.redis.mode=sentinel needs chat.client.redis.sentinel.master");
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisClients.create(properties(RedisProperties.Mode.SENTINEL, "redis://unused:6379",
					new RedisProperties.Sentinel("chatrelay", List.of(), null, null), List.of()), null))
			.withMessage("chat.client.redis.sentinel.nodes must list at least one host:port");
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisClients.create(properties(RedisProperties.Mode.CLUSTER, "redis://unused:6379",
					new RedisProperties.Sentinel(null, List.of(), null, null), List.of()), null))
			.withMessage("chat.client.redis.cluster.nodes must list at least one host:port");
	}

	@Test
	void readsHostPortListsAndNamesAWrongEntry() {
		assertThat(RedisClients.nodes("p", List.of("10.0.0.1:26379", " redis-b:26380 ", "[::1]:7000"))).containsExactly(
				new HostAndPort("10.0.0.1", 26379), new HostAndPort("redis-b", 26380), new HostAndPort("[::1]", 7000));
		assertThatIllegalStateException().isThrownBy(() -> RedisClients.nodes("p", List.of("redis-b")))
			.withMessage("p must list host:port entries, got 'redis-b'");
	}

	@Test
	void describesItselfWithoutThePasswords() {
		RedisProperties sentinel = new RedisProperties(RedisProperties.Mode.SENTINEL, "redis://:url-secret@x:6379",
				"chatrelay", "user-secret", false, null,
				new RedisProperties.Sentinel("chatrelay", List.of("s1:26379"), "sentinel-user", "sentinel-secret"),
				new RedisProperties.Cluster(List.of(), 5), 1, Duration.ofMillis(500), Duration.ofSeconds(2), 8, 4);
		RedisProperties standalone = properties(RedisProperties.Mode.STANDALONE, "redis://user:url-secret@x:6379",
				new RedisProperties.Sentinel(null, List.of(), null, null), List.of());

		assertThat(sentinel.toString()).contains("master=chatrelay", "s1:26379", "username=chatrelay")
			.doesNotContain("secret");
		assertThat(standalone.toString()).contains("redis://***@x:6379").doesNotContain("secret");
	}

	private static RedisProperties properties(RedisProperties.Mode mode, String url, RedisProperties.Sentinel sentinel,
			List<String> clusterNodes) {
		return new RedisProperties(mode, url, null, null, false, null, sentinel,
				new RedisProperties.Cluster(clusterNodes, 5), 0, Duration.ofMillis(500), Duration.ofSeconds(2), 8, 4);
	}

}
