package io.chatrelay.client.channel.dingtalk;

import java.io.IOException;
import java.time.Duration;

import io.chatrelay.client.TestRedis;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The replay window of a DingTalk signature against a real redis-server, with two guards
 * standing for two client nodes of one tenant: a signature seen with one message is
 * accepted with another only within the window after its first sight, on any node;
 * redeliveries of the messages it was accepted with always pass.
 */
class DingTalkReplayGuardIT {

	private static final String PREFIX = "cr:{acme}:";

	private static TestRedis redis;

	private static JedisPooled jedis;

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

	@AfterEach
	void flush() {
		jedis.flushAll();
	}

	@Test
	void aSecondMessageSignedInTheSameMillisecondIsAcceptedWithinTheWindowOnAnyNode() {
		DingTalkReplayGuard nodeA = new DingTalkReplayGuard(jedis, PREFIX, Duration.ofMinutes(1));
		DingTalkReplayGuard nodeB = new DingTalkReplayGuard(jedis, PREFIX, Duration.ofMinutes(1));

		nodeA.check("1700000000000", "msg-a");

		assertThatNoException().isThrownBy(() -> nodeB.check("1700000000000", "msg-b"));
	}

	@Test
	void anotherMessageAfterTheWindowIsAReplayOnEveryNodeWhileKnownMessagesStillPass() throws Exception {
		DingTalkReplayGuard nodeA = new DingTalkReplayGuard(jedis, PREFIX, Duration.ofMillis(300));
		DingTalkReplayGuard nodeB = new DingTalkReplayGuard(jedis, PREFIX, Duration.ofMillis(300));
		nodeA.check("1700000000000", "msg-a");
		nodeB.check("1700000000000", "msg-b");

		Thread.sleep(400);

		assertReplay(() -> nodeA.check("1700000000000", "msg-forged"));
		assertReplay(() -> nodeB.check("1700000000000", "msg-forged"));
		assertThatNoException().as("a redelivery of the first message")
			.isThrownBy(() -> nodeB.check("1700000000000", "msg-a"));
		assertThatNoException().as("a redelivery of the one accepted within the window")
			.isThrownBy(() -> nodeA.check("1700000000000", "msg-b"));
		assertThatNoException().as("another signature").isThrownBy(() -> nodeA.check("1700000000001", "msg-forged"));
	}

	@Test
	void theSignatureIsRememberedUnderTheTenantAsLongAsItCanPassTheTimestampCheck() {
		new DingTalkReplayGuard(jedis, PREFIX, Duration.ofSeconds(5)).check("1700000000000", "msg-a");

		String key = "cr:{acme}:replay:dingtalk:1700000000000";
		assertThat(jedis.keys("*")).containsExactly(key);
		assertThat(jedis.pttl(key)).isBetween(Duration.ofHours(2).minusSeconds(5).toMillis(),
				Duration.ofHours(2).toMillis());
	}

	private static void assertReplay(org.assertj.core.api.ThrowableAssert.ThrowingCallable check) {
		assertThatThrownBy(check).isInstanceOfSatisfying(CallbackRejectedException.class, (ex) -> {
			assertThat(ex.reason()).isEqualTo(Reason.REPLAYED);
			assertThat(ex.reason().status()).isEqualTo(401);
		});
	}

}
