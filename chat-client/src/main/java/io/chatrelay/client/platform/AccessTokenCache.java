package io.chatrelay.client.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform access token (WeCom {@code access_token}, DingTalk {@code accessToken},
 * Feishu {@code tenant_access_token}), fetched lazily, once, under concurrency.
 *
 * <p>
 * One slot holds the token as a future. A caller that finds no token, or one due for
 * refresh, swaps in a new future with a compare-and-set; the winner starts the only fetch
 * and every other caller shares it. No lock is held and no thread waits on I/O. A failed
 * fetch is not cached: the callers that shared it fail, the next call fetches again.
 *
 * <p>
 * A token is served while {@code now < expiresAt - refreshBefore}. When a platform hands
 * out a token whose remaining lifetime is shorter than twice {@code refreshBefore} (WeCom
 * returns the same token until it expires; Feishu does so while 30 min or more remain),
 * it is served until half its remaining lifetime has passed instead, so that such a token
 * causes a few refetches rather than one per call.
 *
 * <p>
 * {@link #invalidate(String)}, called after the platform rejected a token as invalid or
 * expired, drops the token only while it is still the cached one: any number of callers
 * reporting the same stale token cause one refetch, and a late report never drops a newer
 * token.
 *
 * <p>
 * Token values are never logged.
 */
public final class AccessTokenCache {

	private static final Logger logger = LoggerFactory.getLogger(AccessTokenCache.class);

	private final String name;

	private final Supplier<CompletableFuture<AccessToken>> fetcher;

	private final Duration refreshBefore;

	private final Clock clock;

	private final AtomicReference<CompletableFuture<Cached>> slot = new AtomicReference<>();

	/**
	 * Create a cache.
	 * @param name what the token is, for log lines (e.g. {@code "WeCom access_token"})
	 * @param fetcher starts one token request; its future completes with the token or
	 * fails (it may also throw)
	 * @param refreshBefore how long before {@link AccessToken#expiresAt()} a new token is
	 * fetched, not negative
	 * @param clock the clock for expiry
	 */
	public AccessTokenCache(String name, Supplier<CompletableFuture<AccessToken>> fetcher, Duration refreshBefore,
			Clock clock) {
		this.name = Objects.requireNonNull(name, "name");
		this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
		this.refreshBefore = Objects.requireNonNull(refreshBefore, "refreshBefore");
		if (refreshBefore.isNegative()) {
			throw new IllegalArgumentException("refreshBefore must not be negative");
		}
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * A usable token: the cached one, the one being fetched, or a new fetch.
	 * @return the token value; fails with the fetch's failure (wrapped in a
	 * {@link java.util.concurrent.CompletionException} when read through a dependent
	 * stage)
	 */
	public CompletableFuture<String> get() {
		while (true) {
			CompletableFuture<Cached> current = this.slot.get();
			if (current != null && (!current.isDone() || isFresh(current))) {
				return current.thenApply(Cached::value);
			}
			CompletableFuture<Cached> fresh = new CompletableFuture<>();
			if (this.slot.compareAndSet(current, fresh)) {
				fetch(fresh);
				return fresh.thenApply(Cached::value);
			}
		}
	}

	/**
	 * Forget a token the platform rejected, unless it was already replaced.
	 * @param staleValue the token value the rejected call used
	 */
	public void invalidate(String staleValue) {
		CompletableFuture<Cached> current = this.slot.get();
		if (current != null && current.isDone() && !current.isCompletedExceptionally()
				&& current.join().value().equals(staleValue) && this.slot.compareAndSet(current, null)) {
			logger.debug("{} dropped after the platform rejected it", this.name);
		}
	}

	/**
	 * What this cache holds, for log lines.
	 * @return the name given at construction
	 */
	public String name() {
		return this.name;
	}

	private boolean isFresh(CompletableFuture<Cached> current) {
		return !current.isCompletedExceptionally() && this.clock.instant().isBefore(current.join().refreshAt());
	}

	private void fetch(CompletableFuture<Cached> fresh) {
		logger.debug("Fetching {}", this.name);
		CompletableFuture<AccessToken> request;
		try {
			request = Objects.requireNonNull(this.fetcher.get(), "fetcher returned null");
		}
		catch (RuntimeException ex) {
			request = CompletableFuture.failedFuture(ex);
		}
		request.whenComplete((token, failure) -> {
			Throwable error = failure;
			if (error == null) {
				try {
					Cached cached = cache(Objects.requireNonNull(token, "fetcher completed with null"));
					logger.info("Fetched {}, expires at {}, refreshed after {}", this.name, token.expiresAt(),
							cached.refreshAt());
					fresh.complete(cached);
					return;
				}
				catch (RuntimeException ex) {
					error = ex;
				}
			}
			// Empty the slot before failing, so that later callers fetch anew.
			this.slot.compareAndSet(fresh, null);
			Throwable cause = PlatformExchange.unwrap(error);
			logger.warn("Fetching {} failed: {}", this.name, cause.getMessage());
			fresh.completeExceptionally(cause);
		});
	}

	private Cached cache(AccessToken token) {
		Instant now = this.clock.instant();
		Instant early = token.expiresAt().minus(this.refreshBefore);
		Duration remaining = Duration.between(now, token.expiresAt());
		Instant halfway = now.plus(remaining.dividedBy(2));
		return new Cached(token.value(), early.isAfter(halfway) ? early : halfway);
	}

	/**
	 * A token as the platform issued it.
	 *
	 * @param value the token, not blank
	 * @param expiresAt when the platform stops accepting it (the time of the request plus
	 * its {@code expires_in})
	 */
	public record AccessToken(String value, Instant expiresAt) {

		/**
		 * Validate the token.
		 * @param value the token, not blank
		 * @param expiresAt when it expires
		 */
		public AccessToken {
			Objects.requireNonNull(value, "value");
			Objects.requireNonNull(expiresAt, "expiresAt");
			if (value.isBlank()) {
				throw new IllegalArgumentException("Access token must not be blank");
			}
		}

		@Override
		public String toString() {
			return "AccessToken[value=***, expiresAt=" + this.expiresAt + "]";
		}

	}

	/**
	 * A cached token and when to stop serving it.
	 *
	 * @param value the token
	 * @param refreshAt when the next {@link #get()} fetches a new one
	 */
	private record Cached(String value, Instant refreshAt) {

		@Override
		public String toString() {
			return "Cached[refreshAt=" + this.refreshAt + "]";
		}

	}

}
