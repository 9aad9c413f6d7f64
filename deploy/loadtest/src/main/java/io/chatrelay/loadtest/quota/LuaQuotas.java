package io.chatrelay.loadtest.quota;

import java.time.Clock;
import java.util.Map;

import io.chatrelay.client.quota.Limits;
import io.chatrelay.client.quota.QuotaExceededException;
import io.chatrelay.client.quota.QuotaRules;
import io.chatrelay.client.quota.Quotas;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Our own Lua ({@code chat-client}'s {@link Quotas}, {@code quota/acquire.lua} and
 * {@code quota/settle.lua}), called as the client calls it: one script checks and takes
 * the user's and the tenant's limits together.
 */
final class LuaQuotas implements QuotaPort {

	private final UnifiedJedis redis;

	private final String prefix;

	private final String tenant;

	private final BenchLimits limits;

	private final Quotas quotas;

	/**
	 * One node's quotas.
	 * @param redis the node's client
	 * @param tenant the tenant (its keys are {@code cr:{tenant}:quota:...})
	 * @param limits the limits
	 */
	LuaQuotas(UnifiedJedis redis, String tenant, BenchLimits limits) {
		this.redis = redis;
		this.prefix = "cr:{" + tenant + "}:";
		this.tenant = tenant;
		this.limits = limits;
		// Quotas reserves 3 × the prompt's characters + the template's tokens + the
		// answer's
		// cap: with an empty prompt the cap sets the reservation.
		long cap = limits.limitsTokens() ? limits.reserveTokens() - BenchLimits.TEMPLATE_TOKENS : 1;
		QuotaRules rules = new QuotaRules(new QuotaRules.TenantRules(
				new Limits(limits.userPerMinute(), limits.userTokensPerDay(), limits.userTokensPerMonth()),
				new Limits(limits.tenantPerMinute(), 0, 0), cap), Map.of());
		this.quotas = new Quotas(redis, this.prefix, () -> rules, Clock.systemUTC());
	}

	@Override
	public Grant acquire(String user) {
		try {
			return new LuaGrant(this.quotas.acquire(this.tenant, user, null, 0));
		}
		catch (QuotaExceededException ex) {
			return null;
		}
	}

	@Override
	public void settle(Grant grant, long usedTokens) {
		this.quotas.settle(((LuaGrant) grant).reservation(), usedTokens);
	}

	@Override
	public long[] tokensLeft(String user) {
		return new long[] { this.limits.userTokensPerDay() - counter("tpd:u:" + user + ":*"),
				this.limits.userTokensPerMonth() - counter("tpm:u:" + user + ":*") };
	}

	private long counter(String pattern) {
		ScanParams match = new ScanParams().match(this.prefix + "quota:" + pattern).count(1000);
		long sum = 0;
		String cursor = ScanParams.SCAN_POINTER_START;
		do {
			ScanResult<String> page = this.redis.scan(cursor, match);
			for (String key : page.getResult()) {
				if (key.contains(":notice:")) {
					continue;
				}
				String value = this.redis.get(key);
				sum += (value != null) ? Long.parseLong(value) : 0;
			}
			cursor = page.getCursor();
		}
		while (!ScanParams.SCAN_POINTER_START.equals(cursor));
		return sum;
	}

	private record LuaGrant(Quotas.Reservation reservation) implements Grant {
	}

}
