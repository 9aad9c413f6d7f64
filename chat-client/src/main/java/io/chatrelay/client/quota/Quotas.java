package io.chatrelay.client.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.chatrelay.client.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * Requests per minute and tokens per day and month, per user, per tenant and per API key,
 * counted in Redis so that the limits hold exactly across every client node: one script
 * checks every counter that applies and takes from all or none. A token limit reserves
 * the prompt's size plus the answer's cap before the call and is settled to the real
 * usage after it, so concurrent calls never overrun it. With no limit configured nothing
 * is asked of Redis.
 */
public class Quotas {

	static final Duration MINUTE = Duration.ofMinutes(1);

	/** Tokens a chat template adds around the messages, generously. */
	static final long TEMPLATE_TOKENS = 256;

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

	private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

	private final String prefix;

	private final Supplier<QuotaRules> rules;

	private final Clock clock;

	private final RedisScript acquire;

	private final RedisScript settle;

	/**
	 * Create the quotas.
	 * @param redis the Redis client
	 * @param keyPrefix the tenant's key prefix, {@code cr:{t}:}
	 * @param rules the current rules (swapped when the config center publishes)
	 * @param clock the clock of the day and month windows
	 */
	public Quotas(UnifiedJedis redis, String keyPrefix, Supplier<QuotaRules> rules, Clock clock) {
		this.prefix = keyPrefix + "quota:";
		this.rules = rules;
		this.clock = clock;
		this.acquire = new RedisScript(redis, "/quota/acquire.lua");
		this.settle = new RedisScript(redis, "/quota/settle.lua");
	}

	/**
	 * Take one request, and reserve tokens, from every limit that applies.
	 * @param tenantId the tenant
	 * @param userId the user (or {@code key:<id>} for an API key)
	 * @param key the API key's own limits, or {@code null}
	 * @param promptChars characters of everything sent with the call (context included)
	 * @return what was taken, to settle after the call
	 * @throws QuotaExceededException when a limit is reached (then nothing was taken)
	 */
	public Reservation acquire(String tenantId, String userId, KeyLimits key, long promptChars) {
		QuotaRules.TenantRules tenant = this.rules.get().forTenant(tenantId);
		Limits own = (key != null) ? key.limits() : Limits.NONE;
		boolean tokens = tenant.user().limitsTokens() || tenant.tenant().limitsTokens() || own.limitsTokens();
		// Byte-level tokenizers make at most one token per UTF-8 byte, and a UTF-16 unit
		// is at most three bytes: three per character, plus the chat template's few
		// tokens per message, bounds the prompt. Settling returns the excess.
		long reserve = tokens ? 3 * promptChars + TEMPLATE_TOKENS + tenant.maxTokensPerRequest() : 0;
		Instant now = this.clock.instant();
		String user = "u:" + encode(userId);
		List<Counter> counters = new ArrayList<>(9);
		requests(counters, "user requests per minute", user, tenant.user());
		requests(counters, "tenant requests per minute", "t", tenant.tenant());
		if (key != null) {
			requests(counters, "key requests per minute", "k:" + encode(key.keyId()), own);
		}
		if (tokens) {
			tokens(counters, "user tokens", user, tenant.user(), reserve, now);
			tokens(counters, "tenant tokens", "t", tenant.tenant(), reserve, now);
			if (key != null) {
				tokens(counters, "key tokens", "k:" + encode(key.keyId()), own, reserve, now);
			}
		}
		if (counters.isEmpty()) {
			return Reservation.NONE;
		}
		List<String> keys = new ArrayList<>(counters.size() * 2);
		List<String> args = new ArrayList<>(counters.size() * 3 + 1);
		args.add(Integer.toString(counters.size()));
		counters.forEach((counter) -> {
			keys.add(counter.key());
			args.add(Long.toString(counter.limit()));
			args.add(Long.toString(counter.amount()));
			args.add(Long.toString(counter.ttl().toMillis()));
		});
		counters.forEach((counter) -> keys.add(counter.key() + ":notice:" + user));
		List<?> result = (List<?>) this.acquire.run(keys, args);
		int refused = ((Long) result.get(0)).intValue();
		if (refused > 0) {
			Duration wait = Duration.ofMillis(Math.max(1000, (Long) result.get(1)));
			throw new QuotaExceededException(counters.get(refused - 1).name(), wait, (Long) result.get(2) == 1L);
		}
		List<String> tokenKeys = counters.stream().filter(Counter::tokens).map(Counter::key).toList();
		return new Reservation(tokenKeys, reserve, tokens ? (int) tenant.maxTokensPerRequest() : null);
	}

	/**
	 * Settle a reservation to what the call used.
	 * @param reservation what {@link #acquire} took
	 * @param usedTokens the tokens the vendor reported, or 0 or less when unknown (then
	 * the whole reservation stays counted)
	 */
	public void settle(Reservation reservation, long usedTokens) {
		if (reservation.tokenKeys().isEmpty() || usedTokens <= 0) {
			return;
		}
		adjust(reservation, usedTokens - reservation.reservedTokens());
	}

	/**
	 * Give a reservation's tokens back: the call failed before any answer.
	 * @param reservation what {@link #acquire} took
	 */
	public void release(Reservation reservation) {
		if (!reservation.tokenKeys().isEmpty()) {
			adjust(reservation, -reservation.reservedTokens());
		}
	}

	private void adjust(Reservation reservation, long delta) {
		if (delta != 0) {
			this.settle.run(reservation.tokenKeys(), List.of(Long.toString(delta)));
		}
	}

	private void requests(List<Counter> counters, String name, String subject, Limits limits) {
		if (limits.requestsPerMinute() > 0) {
			counters.add(new Counter(name + " (" + limits.requestsPerMinute() + ")", this.prefix + "rpm:" + subject,
					limits.requestsPerMinute(), 1, MINUTE, false));
		}
	}

	private void tokens(List<Counter> counters, String name, String subject, Limits limits, long reserve, Instant now) {
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		if (limits.tokensPerDay() > 0) {
			Instant end = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
			counters.add(new Counter(name + " per day (" + limits.tokensPerDay() + ")",
					this.prefix + "tpd:" + subject + ":" + DAY.format(today), limits.tokensPerDay(), reserve,
					Duration.between(now, end), true));
		}
		if (limits.tokensPerMonth() > 0) {
			Instant end = today.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
			counters.add(new Counter(name + " per month (" + limits.tokensPerMonth() + ")",
					this.prefix + "tpm:" + subject + ":" + MONTH.format(today), limits.tokensPerMonth(), reserve,
					Duration.between(now, end), true));
		}
	}

	/** Percent-encode what would end or split a key part. */
	static String encode(String part) {
		return part.replace("%", "%25").replace(":", "%3A");
	}

	/**
	 * Tokens reserved by one call.
	 *
	 * @param tokenKeys the token counters it took from
	 * @param reservedTokens how many it took from each
	 * @param maxTokens the answer's cap to send with the call, or {@code null} when no
	 * token limit applies
	 */
	public record Reservation(List<String> tokenKeys, long reservedTokens, Integer maxTokens) {

		/** Nothing taken. */
		public static final Reservation NONE = new Reservation(List.of(), 0, null);

		public Reservation {
			tokenKeys = List.copyOf(tokenKeys);
		}

	}

	private record Counter(String name, String key, long limit, long amount, Duration ttl, boolean tokens) {
	}

}
