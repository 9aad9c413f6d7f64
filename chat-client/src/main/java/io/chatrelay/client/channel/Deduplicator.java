package io.chatrelay.client.channel;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Remembers which platform messages were accepted, so that a platform's retries (and the
 * same webhook reaching two client nodes) are answered once. One Redis
 * {@code SET key value NX EX ttl} per message on {@code cr:{tenant}:seen:<channel>:<id>}:
 * atomic across nodes. A Redis failure propagates, so the callback fails with 503 and the
 * platform retries later.
 */
public class Deduplicator {

	private final UnifiedJedis redis;

	private final String prefix;

	/**
	 * Create a deduplicator.
	 * @param redis the tenant's Redis
	 * @param tenantId the tenant
	 */
	public Deduplicator(UnifiedJedis redis, String tenantId) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.prefix = "cr:{" + tenantId + "}:seen:";
	}

	/**
	 * Claim a message for this delivery.
	 * @param channel the channel
	 * @param messageId the platform's message id
	 * @param value what to remember with it (returned to later deliveries)
	 * @param ttl how long to remember it: at least the platform's whole retry window
	 * @return empty if this is the first delivery (the caller now owns the message), else
	 * the value remembered by the first one
	 */
	public Optional<String> claim(String channel, String messageId, String value, Duration ttl) {
		String key = key(channel, messageId);
		String set = this.redis.set(key, value, SetParams.setParams().nx().ex(ttl.toSeconds()));
		if ("OK".equals(set)) {
			return Optional.empty();
		}
		return Optional.of(Objects.requireNonNullElse(this.redis.get(key), value));
	}

	/**
	 * Forget a claim, so that the platform's next delivery is processed (used when a
	 * message was claimed but could not be accepted).
	 * @param channel the channel
	 * @param messageId the platform's message id
	 */
	public void release(String channel, String messageId) {
		this.redis.del(key(channel, messageId));
	}

	private String key(String channel, String messageId) {
		return this.prefix + channel + ":" + messageId;
	}

}
