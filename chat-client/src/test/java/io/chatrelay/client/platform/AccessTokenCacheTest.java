package io.chatrelay.client.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.chatrelay.client.platform.AccessTokenCache.AccessToken;
import io.chatrelay.client.platform.OutboundTestSupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AccessTokenCacheTest {

	private static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger fetches = new AtomicInteger();

	@Test
	void fiftyConcurrentCallersShareExactlyOneFetch() throws Exception {
		CompletableFuture<AccessToken> pending = new CompletableFuture<>();
		AccessTokenCache cache = cache(() -> {
			this.fetches.incrementAndGet();
			return pending;
		});
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(50);
		List<CompletableFuture<String>> results = new ArrayList<>();
		try {
			List<Future<CompletableFuture<String>>> submitted = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				submitted.add(pool.submit(() -> {
					start.await();
					return cache.get();
				}));
			}
			start.countDown();
			for (Future<CompletableFuture<String>> future : submitted) {
				results.add(future.get(5, TimeUnit.SECONDS));
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(results).noneMatch(CompletableFuture::isDone);

		pending.complete(token("TOKEN_A", Duration.ofHours(2)));

		assertThat(results).allSatisfy((result) -> assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("TOKEN_A"));
		assertThat(this.fetches).hasValue(1);
	}

	@Test
	void servesTheCachedTokenUntilRefreshBeforeExpiry() {
		AccessTokenCache cache = cache(sequence("TOKEN_A", "TOKEN_B"));
		assertThat(cache.get().join()).isEqualTo("TOKEN_A");

		this.clock.advance(Duration.ofSeconds(7200 - 300 - 1));
		assertThat(cache.get().join()).isEqualTo("TOKEN_A");
		assertThat(this.fetches).hasValue(1);

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(cache.get().join()).isEqualTo("TOKEN_B");
		assertThat(cache.get().join()).isEqualTo("TOKEN_B");
		assertThat(this.fetches).hasValue(2);
	}

	@Test
	void servesATokenShorterThanTwiceTheMarginForHalfItsLifetime() {
		// WeCom hands out the same token until it expires, with what is left of its life
		Queue<AccessToken> tokens = new ConcurrentLinkedQueue<>(
				List.of(token("SAME", Duration.ofMinutes(4)), token("NEW", Duration.ofHours(2))));
		AccessTokenCache cache = cache(() -> {
			this.fetches.incrementAndGet();
			return CompletableFuture.completedFuture(tokens.remove());
		});

		assertThat(cache.get().join()).isEqualTo("SAME");
		this.clock.advance(Duration.ofSeconds(119));
		assertThat(cache.get().join()).isEqualTo("SAME");
		assertThat(this.fetches).hasValue(1);

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(cache.get().join()).isEqualTo("NEW");
	}

	@Test
	void doesNotCacheAFailedFetch() {
		IllegalStateException down = new IllegalStateException("token endpoint down");
		AtomicInteger calls = new AtomicInteger();
		AccessTokenCache cache = cache(() -> {
			this.fetches.incrementAndGet();
			return (calls.getAndIncrement() == 0) ? CompletableFuture.failedFuture(down)
					: CompletableFuture.completedFuture(token("TOKEN_A", Duration.ofHours(2)));
		});

		CompletableFuture<String> first = cache.get();

		assertThat(first).isCompletedExceptionally();
		assertThat(first.handle((value, failure) -> PlatformExchange.unwrap(failure)).join()).isSameAs(down);
		assertThat(cache.get().join()).isEqualTo("TOKEN_A");
		assertThat(this.fetches).hasValue(2);
	}

	@Test
	void treatsAFetcherThatThrowsLikeAFailedFetch() {
		AtomicInteger calls = new AtomicInteger();
		AccessTokenCache cache = cache(() -> {
			if (calls.getAndIncrement() == 0) {
				throw new IllegalStateException("cannot build the request");
			}
			return CompletableFuture.completedFuture(token("TOKEN_A", Duration.ofHours(2)));
		});

		assertThat(cache.get()).isCompletedExceptionally();
		assertThat(cache.get().join()).isEqualTo("TOKEN_A");
	}

	@Test
	void failsInsteadOfHangingWhenAFetchCompletesWithNothing() {
		AtomicInteger calls = new AtomicInteger();
		AccessTokenCache cache = cache(() -> CompletableFuture
			.completedFuture((calls.getAndIncrement() == 0) ? null : token("TOKEN_A", Duration.ofHours(2))));

		assertThat(cache.get()).isCompletedExceptionally();
		assertThat(cache.get().join()).isEqualTo("TOKEN_A");
	}

	@Test
	void invalidatingTheSameStaleTokenTwiceCausesOneRefetch() {
		AccessTokenCache cache = cache(sequence("TOKEN_A", "TOKEN_B", "TOKEN_C"));
		String stale = cache.get().join();

		cache.invalidate(stale);
		cache.invalidate(stale);

		assertThat(cache.get().join()).isEqualTo("TOKEN_B");
		assertThat(this.fetches).hasValue(2);
	}

	@Test
	void invalidatingAnOldValueDoesNotDropTheNewToken() {
		AccessTokenCache cache = cache(sequence("TOKEN_A", "TOKEN_B", "TOKEN_C"));
		String old = cache.get().join();
		cache.invalidate(old);
		assertThat(cache.get().join()).isEqualTo("TOKEN_B");

		// a late report about TOKEN_A from a call that started before the refresh
		cache.invalidate(old);

		assertThat(cache.get().join()).isEqualTo("TOKEN_B");
		assertThat(this.fetches).hasValue(2);
	}

	@Test
	void invalidatingDuringAFetchKeepsTheFetch() {
		CompletableFuture<AccessToken> pending = new CompletableFuture<>();
		AccessTokenCache cache = cache(() -> {
			this.fetches.incrementAndGet();
			return pending;
		});
		CompletableFuture<String> waiting = cache.get();

		cache.invalidate("TOKEN_A");
		pending.complete(token("TOKEN_A", Duration.ofHours(2)));

		assertThat(waiting.join()).isEqualTo("TOKEN_A");
		assertThat(cache.get().join()).isEqualTo("TOKEN_A");
		assertThat(this.fetches).hasValue(1);
	}

	@Test
	void neverPrintsTheTokenValue() {
		assertThat(token("SECRET-TOKEN", Duration.ofHours(2))).asString().doesNotContain("SECRET-TOKEN");
	}

	@Test
	void rejectsABlankToken() {
		assertThatIllegalArgumentException().isThrownBy(() -> token(" ", Duration.ofHours(2)));
	}

	private AccessTokenCache cache(Supplier<CompletableFuture<AccessToken>> fetcher) {
		return new AccessTokenCache("test token", fetcher, REFRESH_BEFORE, this.clock);
	}

	/** Completed fetches of the given values, 2 h each, counted. */
	private Supplier<CompletableFuture<AccessToken>> sequence(String... values) {
		Queue<String> queue = new ConcurrentLinkedQueue<>(List.of(values));
		return () -> {
			this.fetches.incrementAndGet();
			return CompletableFuture.completedFuture(token(queue.remove(), Duration.ofHours(2)));
		};
	}

	private AccessToken token(String value, Duration lifetime) {
		return new AccessToken(value, this.clock.instant().plus(lifetime));
	}

}
