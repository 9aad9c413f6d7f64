package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.redis.RedisHashWrite;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@link PendingReplies} in the tenant's Redis, so that any node's later attempt finds
 * them: one hash {@code cr:{t}:reply:<channel>:<messageId>} with {@code text} and
 * {@code delivered} (parts), expiring after a day. Each write is one round trip (a script
 * that sets the fields and the expiry), so the hash never exists without its expiry.
 */
public class RedisPendingReplies implements PendingReplies {

	private static final String TEXT = "text";

	private static final String DELIVERED = "delivered";

	private final UnifiedJedis redis;

	private final String prefix;

	private final long ttlSeconds;

	private final RedisHashWrite hashWrite;

	/**
	 * Create the store.
	 * @param redis the tenant's Redis
	 * @param tenantId the tenant
	 * @param ttl how long an undelivered answer is kept
	 */
	public RedisPendingReplies(UnifiedJedis redis, String tenantId, Duration ttl) {
		this.redis = redis;
		this.prefix = "cr:{" + tenantId + "}:reply:";
		this.ttlSeconds = Math.max(1, ttl.toSeconds());
		this.hashWrite = new RedisHashWrite(redis);
	}

	@Override
	public Optional<Pending> find(ChannelMessage message) {
		Map<String, String> fields = this.redis.hgetAll(key(message));
		String text = fields.get(TEXT);
		if (text == null) {
			return Optional.empty();
		}
		String delivered = fields.get(DELIVERED);
		return Optional.of(new Pending(text, (delivered != null) ? Integer.parseInt(delivered) : 0));
	}

	@Override
	public void save(ChannelMessage message, String text) {
		write(key(message), Map.of(TEXT, text, DELIVERED, "0"));
	}

	@Override
	public void delivered(ChannelMessage message, int parts) {
		write(key(message), Map.of(DELIVERED, String.valueOf(parts)));
	}

	@Override
	public void forget(ChannelMessage message) {
		this.redis.del(key(message));
	}

	/** Fields and the expiry in one round trip, so the hash never lives without it. */
	private void write(String key, Map<String, String> fields) {
		this.hashWrite.expiringIn(key, fields, this.ttlSeconds * 1000L);
	}

	private String key(ChannelMessage message) {
		return this.prefix + message.channel() + ":" + message.messageId();
	}

}
