package io.chatrelay.client.channel.wecombot;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.chatrelay.client.redis.RedisHashWrite;
import redis.clients.jedis.UnifiedJedis;

/**
 * The WeCom bot streams in Redis: one hash per stream under
 * {@code cr:{tenant}:bot:stream:<streamId>} ({@link WeComBotStream#fields()}), expiring
 * {@code ttl} after the stream started. The expiry is absolute ({@code PEXPIREAT}), so a
 * late write never revives a stream or makes it outlive its TTL. Redis failures
 * propagate.
 */
class WeComBotStreams {

	/** The stream ids this channel hands out; anything else is not ours. */
	private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private final UnifiedJedis redis;

	private final String prefix;

	private final long ttlMillis;

	private final RedisHashWrite hashWrite;

	/**
	 * Create the store.
	 * @param redis the tenant's Redis
	 * @param tenantId the tenant
	 * @param ttl how long a stream is kept after it started
	 */
	WeComBotStreams(UnifiedJedis redis, String tenantId, Duration ttl) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.hashWrite = new RedisHashWrite(redis);
		this.prefix = "cr:{" + tenantId + "}:bot:stream:";
		this.ttlMillis = ttl.toMillis();
	}

	/**
	 * Whether an id can be one of ours (and is safe in a key).
	 * @param streamId the id from a callback
	 * @return {@code true} for 1–64 URL-safe Base64 characters
	 */
	static boolean isStreamId(String streamId) {
		return streamId != null && STREAM_ID.matcher(streamId).matches();
	}

	/**
	 * Store a stream's state (a new one, or its latest content).
	 * @param streamId the stream
	 * @param stream what it shows now
	 */
	void write(String streamId, WeComBotStream stream) {
		String key = key(streamId);
		this.hashWrite.expiringAt(key, stream.fields(), stream.startedMillis() + this.ttlMillis);
	}

	/**
	 * Read a stream.
	 * @param streamId the stream
	 * @return its state, empty when it is unknown or expired
	 */
	Optional<WeComBotStream> read(String streamId) {
		if (!isStreamId(streamId)) {
			return Optional.empty();
		}
		return WeComBotStream.of(this.redis.hgetAll(key(streamId)));
	}

	/**
	 * Forget a stream.
	 * @param streamId the stream
	 */
	void delete(String streamId) {
		this.redis.del(key(streamId));
	}

	private String key(String streamId) {
		if (!isStreamId(streamId)) {
			throw new IllegalArgumentException("Not a stream id of this channel");
		}
		return this.prefix + streamId;
	}

}
