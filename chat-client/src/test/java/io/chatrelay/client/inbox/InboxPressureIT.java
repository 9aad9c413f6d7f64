package io.chatrelay.client.inbox;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.chatrelay.client.TestRedis;
import io.chatrelay.client.inbox.ChannelInbox.Intake;
import io.chatrelay.client.intake.InboxOverloadedException;
import io.chatrelay.client.intake.MessageIntake;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When the inbox counts as past the nodes' capacity, against a real redis-server: the
 * oldest unread entry waited longer than {@code max-queue-delay} while the nodes read.
 * The test moves the pressure's clock; the entries' ages are real (their ids' times).
 */
class InboxPressureIT {

	private static final Duration TTL = Duration.ofMinutes(10);

	private static final Duration MAX_QUEUE_DELAY = Duration.ofMillis(200);

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final Inbox inbox = new Inbox(jedis, "acme", new InboxProperties(8, 0, Duration.ofSeconds(60), 5,
			Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(2), 16, Duration.ofDays(7)));

	private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

	private final InboxPressure pressure = new InboxPressure(this.inbox, MAX_QUEUE_DELAY, this.clock::get, false);

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
	void anInboxWithoutItsGroupIsNotOverloaded() {
		this.pressure.sample();

		assertThat(this.pressure.overloaded()).isFalse();
		assertThat(this.pressure.queueDelayMillis()).isZero();
	}

	@Test
	void isOverloadedOnlyWhileTheNodesReadButFallBehindByMoreThanTheMaxQueueDelay() throws InterruptedException {
		this.inbox.ensureGroup();
		for (int i = 1; i <= 3; i++) {
			this.inbox.accept(message("m" + i), TTL);
		}
		Thread.sleep(MAX_QUEUE_DELAY.toMillis() + 100);

		this.pressure.sample();
		assertThat(this.pressure.queueDelayMillis()).isGreaterThan(MAX_QUEUE_DELAY.toMillis());
		assertThat(this.pressure.overloaded()).as("nobody reads: a stalled inbox keeps taking messages").isFalse();

		assertThat(this.inbox.read("node-1", 1, Duration.ofMillis(10))).hasSize(1);
		this.pressure.sample();
		assertThat(this.pressure.overloaded()).as("the nodes read, the next unread waited too long").isTrue();

		this.clock.addAndGet(InboxPressure.PROGRESS_WINDOW.plusMillis(1).toNanos());
		this.pressure.sample();
		assertThat(this.pressure.overloaded()).as("reading stopped for %s", InboxPressure.PROGRESS_WINDOW).isFalse();

		assertThat(this.inbox.read("node-1", 1, Duration.ofMillis(10))).hasSize(1);
		this.pressure.sample();
		assertThat(this.pressure.overloaded()).isTrue();

		assertThat(this.inbox.read("node-1", 10, Duration.ofMillis(10))).hasSize(1);
		this.pressure.sample();
		assertThat(this.pressure.overloaded()).as("everything read").isFalse();
		assertThat(this.pressure.queueDelayMillis()).isZero();
	}

	@Test
	void aFreshQueueBehindReadingNodesIsNotOverloaded() {
		this.inbox.ensureGroup();
		this.pressure.sample();
		this.inbox.accept(message("m1"), TTL);
		this.inbox.read("node-1", 1, Duration.ofMillis(10));
		this.inbox.accept(message("m2"), TTL);

		this.pressure.sample();

		assertThat(this.pressure.overloaded()).isFalse();
		assertThat(this.pressure.queueDelayMillis()).isLessThan(MAX_QUEUE_DELAY.toMillis());
	}

	@Test
	void anOverloadedIntakeRefusesBeforeStoringAnything() throws InterruptedException {
		this.inbox.ensureGroup();
		this.inbox.accept(message("m1"), TTL);
		this.inbox.accept(message("m2"), TTL);
		Thread.sleep(MAX_QUEUE_DELAY.toMillis() + 100);
		this.pressure.sample();
		this.inbox.read("node-1", 1, Duration.ofMillis(10));
		this.pressure.sample();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		MessageIntake intake = new MessageIntake(this.inbox, null, meters, this.pressure);

		assertThatThrownBy(() -> intake.accept(message("m3"), TTL)).isInstanceOf(InboxOverloadedException.class)
			.satisfies(
					(ex) -> assertThat(((InboxOverloadedException) ex).retryAfter()).isEqualTo(Duration.ofSeconds(1)));

		assertThat(jedis.xlen("cr:{acme}:inbox")).isEqualTo(2);
		assertThat(jedis.exists("cr:{acme}:seen:wecom:m3")).as("not claimed: its next delivery is new").isFalse();
		assertThat(meters.get("chat.client.callbacks").tag("outcome", "refused").counter().count()).isEqualTo(1);
		this.inbox.read("node-1", 10, Duration.ofMillis(10));
		this.pressure.sample();
		assertThat(intake.accept(message("m3"), TTL, "1").intake()).isEqualTo(Intake.QUEUED);
	}

	private static ChannelMessage message(String id) {
		return new ChannelMessage("wecom", id, "c-" + id, "user-1", "hello", Map.of("user", "user-1"),
				System.currentTimeMillis());
	}

}
