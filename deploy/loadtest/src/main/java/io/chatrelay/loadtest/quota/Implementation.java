package io.chatrelay.loadtest.quota;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Pool;

/**
 * The implementations compared.
 */
enum Implementation {

	/** {@code chat-client}'s {@code Quotas}: one script per acquire. */
	LUA("our Lua (Quotas)"),

	/** bucket4j's {@code JedisBasedProxyManager}, one bucket per limit. */
	BUCKET4J("bucket4j"),

	/** The same with {@code Optimizations.batching()} on every bucket. */
	BUCKET4J_BATCHING("bucket4j + batching()");

	private final String label;

	Implementation(String label) {
		this.label = label;
	}

	/**
	 * The name in reports.
	 * @return the label
	 */
	String label() {
		return this.label;
	}

	/**
	 * One node's quotas.
	 * @param node the node's Redis clients
	 * @param tenant the tenant, which names the keys
	 * @param limits the limits
	 * @return the quotas
	 */
	QuotaPort open(Node node, String tenant, BenchLimits limits) {
		if (this == LUA) {
			return new LuaQuotas(node.redis(), tenant, limits);
		}
		boolean batching = this == BUCKET4J_BATCHING;
		return new Bucket4jQuotas((node.pool() != null) ? Bucket4jQuotas.proxyManager(node.pool())
				: Bucket4jQuotas.proxyManager(node.redis()), tenant, limits, batching);
	}

	/**
	 * A client node's Redis clients: each node has its own connections.
	 *
	 * @param redis its pooled client (what {@code Quotas} takes)
	 * @param pool a {@code JedisPool} for bucket4j's other entry point, or {@code null}
	 * to give bucket4j {@link #redis} too
	 */
	record Node(UnifiedJedis redis, Pool<Jedis> pool) {
	}

}
