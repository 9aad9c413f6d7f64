package io.chatrelay.client.quota;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import io.chatrelay.client.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Quotas on a real redis-server; two {@code Quotas} stand for two client nodes.
 */
class QuotasIT {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T23:59:00Z"), ZoneOffset.UTC);

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final AtomicReference<QuotaRules> rules = new AtomicReference<>(QuotaRules.NONE);

	private Quotas node1;

	private Quotas node2;

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
	void quotas() {
		jedis.flushAll();
		this.node1 = new Quotas(jedis, "cr:{t}:", this.rules::get, CLOCK);
		this.node2 = new Quotas(jedis, "cr:{t}:", this.rules::get, CLOCK);
	}

	@Test
	void withoutRulesNothingIsCountedAndRedisIsNotAsked() {
		Quotas.Reservation reservation = this.node1.acquire("t", "alice", null, 100);

		assertThat(reservation).isSameAs(Quotas.Reservation.NONE);
		assertThat(jedis.keys("*")).isEmpty();
	}

	@Test
	void exactlyTheLimitPassesAcrossTwoNodesUnderConcurrency() throws Exception {
		this.rules.set(QuotaRules.parse("default: {user: {requests-per-minute: 60}}"));
		List<Callable<Boolean>> calls = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			Quotas node = (i % 2 == 0) ? this.node1 : this.node2;
			calls.add(() -> {
				try {
					node.acquire("t", "alice", null, 10);
					return true;
				}
				catch (QuotaExceededException ex) {
					return false;
				}
			});
		}
		ExecutorService pool = Executors.newFixedThreadPool(16);
		long passed;
		try {
			passed = 0;
			for (Future<Boolean> result : pool.invokeAll(calls)) {
				passed += result.get() ? 1 : 0;
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(passed).isEqualTo(60);
		assertThat(this.node1.acquire("t", "bob", null, 10)).as("another user has a window of their own").isNotNull();
	}

	@Test
	void theFirstRefusalOfAWindowIsTheOnlyNotice() {
		this.rules.set(QuotaRules.parse("default: {user: {requests-per-minute: 1}}"));
		this.node1.acquire("t", "alice", null, 1);

		QuotaExceededException first = refusal(() -> this.node1.acquire("t", "alice", null, 1));
		QuotaExceededException second = refusal(() -> this.node2.acquire("t", "alice", null, 1));

		assertThat(first.firstNotice()).isTrue();
		assertThat(second.firstNotice()).isFalse();
		assertThat(first.retryAfter()).isBetween(Duration.ofSeconds(1), Quotas.MINUTE);
		assertThat(first.limit()).isEqualTo("user requests per minute (1)");
	}

	@Test
	void aRefusalTakesNothingFromTheOtherCounters() {
		this.rules
			.set(QuotaRules.parse("default: {user: {requests-per-minute: 1}, tenant: {requests-per-minute: 10}}"));
		this.node1.acquire("t", "alice", null, 1);
		refusal(() -> this.node1.acquire("t", "alice", null, 1));
		refusal(() -> this.node1.acquire("t", "alice", null, 1));

		assertThat(jedis.get("cr:{t}:quota:rpm:t")).isEqualTo("1");
	}

	@Test
	void tokenReservationsNeverOverrunUnderConcurrency() throws Exception {
		// 10 prompt chars reserve 3 * 10 + 256 + 100 = 386 tokens: 10 fit in 4000.
		this.rules.set(QuotaRules.parse("default: {user: {tokens-per-day: 4000}, max-tokens-per-request: 100}"));
		List<Callable<Quotas.Reservation>> calls = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			Quotas node = (i % 2 == 0) ? this.node1 : this.node2;
			calls.add(() -> {
				try {
					return node.acquire("t", "alice", null, 10);
				}
				catch (QuotaExceededException ex) {
					return null;
				}
			});
		}
		ExecutorService pool = Executors.newFixedThreadPool(50);
		List<Quotas.Reservation> taken = new ArrayList<>();
		try {
			for (Future<Quotas.Reservation> result : pool.invokeAll(calls)) {
				if (result.get() != null) {
					taken.add(result.get());
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		String counter = "cr:{t}:quota:tpd:u:alice:20261206";

		assertThat(taken).hasSize(10);
		assertThat(Long.parseLong(jedis.get(counter))).isEqualTo(3860).isLessThanOrEqualTo(4000);
		assertThat(taken.get(0).maxTokens()).isEqualTo(100);
		taken.forEach((reservation) -> this.node1.settle(reservation, 150));
		assertThat(jedis.get(counter)).isEqualTo("1500");
	}

	@Test
	void unknownUsageKeepsTheReservationAndAFailedCallGivesItBack() {
		this.rules.set(QuotaRules.parse("default: {user: {tokens-per-day: 4000}, max-tokens-per-request: 100}"));
		Quotas.Reservation unknown = this.node1.acquire("t", "alice", null, 10);
		Quotas.Reservation failed = this.node1.acquire("t", "alice", null, 10);

		this.node1.settle(unknown, 0);
		this.node1.release(failed);

		assertThat(jedis.get("cr:{t}:quota:tpd:u:alice:20261206")).isEqualTo("386");
	}

	@Test
	void theDayWindowEndsAtMidnightUtc() {
		this.rules.set(QuotaRules.parse("default: {user: {tokens-per-day: 500}, max-tokens-per-request: 100}"));
		this.node1.acquire("t", "alice", null, 10);

		QuotaExceededException refused = refusal(() -> this.node1.acquire("t", "alice", null, 10));

		assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(59), Duration.ofMinutes(1));
		assertThat(jedis.pttl("cr:{t}:quota:tpd:u:alice:20261206")).isBetween(1L, 60_000L);
	}

	@Test
	void aKeysOwnLimitAppliesOnTopOfTheTenants() {
		this.rules.set(QuotaRules.parse("default: {user: {requests-per-minute: 100}}"));
		KeyLimits key = new KeyLimits("k1", new Limits(2, 0, 0));
		this.node1.acquire("t", "key:k1", key, 1);
		this.node2.acquire("t", "key:k1", key, 1);

		assertThat(refusal(() -> this.node1.acquire("t", "key:k1", key, 1)).limit())
			.isEqualTo("key requests per minute (2)");
	}

	@Test
	void usersWhoseIdsWouldJoinAlikeHaveTheirOwnCounters() {
		this.rules.set(QuotaRules.parse("default: {user: {requests-per-minute: 1}}"));
		this.node1.acquire("t", "a:b", null, 1);

		assertThat(this.node1.acquire("t", "a%3Ab", null, 1)).isNotNull();
	}

	private static QuotaExceededException refusal(Runnable call) {
		QuotaExceededException refused = catchThrowableOfType(QuotaExceededException.class, call::run);
		assertThat(refused).as("refused").isNotNull();
		return refused;
	}

}
