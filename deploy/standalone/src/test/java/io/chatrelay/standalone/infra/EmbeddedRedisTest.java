package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedRedisTest {

	@TempDir
	Path dataDir;

	@Test
	void answersPingSetAndGetOnLoopback() throws Exception {
		try (EmbeddedRedis redis = EmbeddedRedis.start(0, this.dataDir);
				Jedis jedis = new Jedis(URI.create(redis.url()))) {
			assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
			assertThat(jedis.ping()).isEqualTo("PONG");
			jedis.set("cr:{demo}:ctx:c1", "hello");
			assertThat(jedis.get("cr:{demo}:ctx:c1")).isEqualTo("hello");
			assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "yes");
			assertThat(jedis.configGet("bind")).containsEntry("bind", "127.0.0.1");
		}
	}

	@Test
	void keepsDataAcrossStopAndStartThanksToTheAppendOnlyFile() throws Exception {
		try (EmbeddedRedis redis = EmbeddedRedis.start(0, this.dataDir)) {
			try (Jedis jedis = new Jedis(URI.create(redis.url()))) {
				jedis.rpush("cr:{demo}:ctx:c2", "user: hi", "assistant: hello");
			}
			redis.stop();
			assertThat(redis.isRunning()).isFalse();
			assertThat(Ports.isFree(redis.port())).isTrue();
			assertThat(this.dataDir.resolve("appendonly.aof")).exists();

			redis.start();
			try (Jedis jedis = new Jedis(URI.create(redis.url()))) {
				assertThat(jedis.lrange("cr:{demo}:ctx:c2", 0, -1)).containsExactly("user: hi", "assistant: hello");
			}
		}
	}

	@Test
	void refusesToStartOnABusyPort() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(Ports.loopback(), 0));
			assertThatThrownBy(() -> EmbeddedRedis.start(taken.getLocalPort(), this.dataDir))
				.isInstanceOf(IOException.class)
				.hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
		}
	}

}
