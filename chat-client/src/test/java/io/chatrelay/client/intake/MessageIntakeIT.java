package io.chatrelay.client.intake;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.chatrelay.client.TestRedis;
import io.chatrelay.client.inbox.ChannelInbox.Intake;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxPressure;
import io.chatrelay.client.inbox.InboxProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The intake against a real redis-server while the node is past its capacity: refused
 * before anything is stored, so the platform's next delivery is new.
 */
class MessageIntakeIT {

	private static final Duration TTL = Duration.ofMinutes(10);

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final Inbox inbox = new Inbox(jedis, "acme", new InboxProperties(8, 0, Duration.ofSeconds(60), 5,
			Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(2), 16, Duration.ofDays(7)));

	private final InboxPressure pressure = new InboxPressure(Duration.ofMillis(200));

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
		this.inbox.ensureGroup();
	}

	@AfterEach
	void stopPressure() {
		this.pressure.close();
	}

	@Test
	void anOverloadedNodeRefusesACallbackBeforeStoringAnythingAndTakesItWhenBack() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		MessageIntake intake = new MessageIntake(this.inbox, null, meters, this.pressure);
		// queued 10 s against 200 ms: every callback is refused at once
		this.pressure.started(10_000);
		await().atMost(Duration.ofSeconds(3)).until(() -> this.pressure.refusedShare() == 1);

		assertThatThrownBy(() -> intake.accept(message("m1"), TTL)).isInstanceOf(InboxOverloadedException.class)
			.satisfies(
					(ex) -> assertThat(((InboxOverloadedException) ex).retryAfter()).isEqualTo(Duration.ofSeconds(1)));

		assertThat(jedis.xlen("cr:{acme}:inbox")).isZero();
		assertThat(jedis.exists("cr:{acme}:seen:wecom:m1")).as("not claimed: its next delivery is new").isFalse();
		assertThat(meters.get("chat.client.callbacks").tag("outcome", "refused").counter().count()).isEqualTo(1);
		// the next second nothing queued long: taken again
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.pressure.overloaded());
		assertThat(intake.accept(message("m1"), TTL, "1").intake()).isEqualTo(Intake.QUEUED);
	}

	private static ChannelMessage message(String id) {
		return new ChannelMessage("wecom", id, "c-" + id, "user-1", "hello", Map.of("user", "user-1"),
				System.currentTimeMillis());
	}

}
