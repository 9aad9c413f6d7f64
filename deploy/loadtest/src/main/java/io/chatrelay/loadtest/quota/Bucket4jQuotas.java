package io.chatrelay.loadtest.quota;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Pool;

/**
 * The same limits with bucket4j's Jedis integration ({@code JedisBasedProxyManager}, the
 * only one it has for Jedis: compare-and-swap, a GET of the bucket's state and an EVAL
 * that writes it back if unchanged, retried on conflict). A bucket is one key, so the
 * user's and the tenant's request limits are two buckets, taken one after the other, and
 * the first is refunded when the second refuses; that is what a user of the library
 * writes. Tokens per day and per month are two bandwidths of one bucket (one atomic
 * check), keyed by month: a bandwidth's period is a {@link Duration}, with no calendar
 * month.
 */
final class Bucket4jQuotas implements QuotaPort {

	private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

	/**
	 * Keep an idle bucket this long after it would be full again (the library's idiom).
	 */
	private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

	private final ProxyManager<String> proxies;

	private final String prefix;

	private final BenchLimits limits;

	private final boolean batching;

	private final Bucket tenant;

	private final Map<String, Bucket> users = new ConcurrentHashMap<>();

	private final Map<String, Bucket> tokens = new ConcurrentHashMap<>();

	/**
	 * One node's quotas.
	 * @param proxies the node's proxy manager ({@link #proxyManager})
	 * @param tenant the tenant (its keys are {@code cr:{tenant}:b4j:...})
	 * @param limits the limits
	 * @param batching whether to add the library's batching optimization (it merges
	 * concurrent requests of one JVM to the same bucket)
	 */
	Bucket4jQuotas(ProxyManager<String> proxies, String tenant, BenchLimits limits, boolean batching) {
		this.proxies = proxies;
		this.prefix = "cr:{" + tenant + "}:b4j:";
		this.limits = limits;
		this.batching = batching;
		this.tenant = (limits.tenantPerMinute() > 0)
				? bucket(this.prefix + "rpm:t", () -> perMinute(limits.tenantPerMinute())) : null;
	}

	/**
	 * A proxy manager over a {@link UnifiedJedis} ({@code JedisPooled}, what our client
	 * nodes have).
	 * @param redis the client
	 * @return the proxy manager
	 */
	static ProxyManager<String> proxyManager(UnifiedJedis redis) {
		return Bucket4jJedis.casBasedBuilder(redis)
			.keyMapper(Mapper.STRING)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
			.build();
	}

	/**
	 * A proxy manager over a {@code JedisPool}.
	 * @param pool the pool
	 * @return the proxy manager
	 */
	static ProxyManager<String> proxyManager(Pool<Jedis> pool) {
		return Bucket4jJedis.casBasedBuilder(pool)
			.keyMapper(Mapper.STRING)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
			.build();
	}

	@Override
	public Grant acquire(String user) {
		Bucket own = (this.limits.userPerMinute() > 0) ? this.users.computeIfAbsent(user,
				(u) -> bucket(this.prefix + "rpm:u:" + u, () -> perMinute(this.limits.userPerMinute()))) : null;
		if (own != null && !own.tryConsume(1)) {
			return null;
		}
		if (this.tenant != null && !this.tenant.tryConsume(1)) {
			refund(own, 1);
			return null;
		}
		if (!this.limits.limitsTokens()) {
			return new Bucket4jGrant(null);
		}
		Bucket wallet = tokenBucket(user);
		if (!wallet.tryConsume(this.limits.reserveTokens())) {
			refund(own, 1);
			refund(this.tenant, 1);
			return null;
		}
		return new Bucket4jGrant(wallet);
	}

	@Override
	public void settle(Grant grant, long usedTokens) {
		Bucket wallet = ((Bucket4jGrant) grant).wallet();
		if (wallet == null) {
			return;
		}
		long unused = this.limits.reserveTokens() - usedTokens;
		if (unused > 0) {
			// Capped at each bandwidth's capacity.
			wallet.addTokens(unused);
		}
		else if (unused < 0) {
			wallet.consumeIgnoringRateLimits(-unused);
		}
	}

	@Override
	public long[] tokensLeft(String user) {
		long[] perBandwidth = tokenBucket(user).asVerbose()
			.getAvailableTokens()
			.getDiagnostics()
			.getAvailableTokensPerEachBandwidth();
		long[] left = new long[2];
		int next = 0;
		if (this.limits.userTokensPerDay() > 0) {
			left[0] = perBandwidth[next++];
		}
		if (this.limits.userTokensPerMonth() > 0) {
			left[1] = perBandwidth[next];
		}
		return left;
	}

	private Bucket tokenBucket(String user) {
		String month = MONTH.format(LocalDate.now(ZoneOffset.UTC));
		return this.tokens.computeIfAbsent(user + ":" + month,
				(key) -> bucket(this.prefix + "tok:u:" + key, this::tokenLimits));
	}

	private BucketConfiguration tokenLimits() {
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		Instant tomorrow = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
		Instant nextMonth = today.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
		ConfigurationBuilder config = BucketConfiguration.builder();
		long day = this.limits.userTokensPerDay();
		long month = this.limits.userTokensPerMonth();
		if (day > 0) {
			config.addLimit((limit) -> limit.capacity(day).refillIntervallyAligned(day, Duration.ofDays(1), tomorrow));
		}
		if (month > 0) {
			// The bucket's key names the month; its refill only marks the month's end.
			config.addLimit(
					(limit) -> limit.capacity(month).refillIntervallyAligned(month, Duration.ofDays(31), nextMonth));
		}
		return config.build();
	}

	private static BucketConfiguration perMinute(long requests) {
		return BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(requests).refillIntervally(requests, Duration.ofMinutes(1)))
			.build();
	}

	private Bucket bucket(String key, Supplier<BucketConfiguration> config) {
		RemoteBucketBuilder<String> builder = this.proxies.builder();
		if (this.batching) {
			builder = builder.withOptimization(Optimizations.batching());
		}
		return builder.build(key, config);
	}

	private static void refund(Bucket bucket, long tokens) {
		if (bucket != null) {
			bucket.addTokens(tokens);
		}
	}

	private record Bucket4jGrant(Bucket wallet) implements Grant {
	}

}
