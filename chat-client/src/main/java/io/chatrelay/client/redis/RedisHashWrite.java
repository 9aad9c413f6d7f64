package io.chatrelay.client.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import redis.clients.jedis.UnifiedJedis;

/**
 * A hash's fields and its expiry written in one step ({@code redis/hash-write.lua}), so
 * that the hash never lives without its expiry: one round trip, and atomic on one server,
 * behind Sentinel and in a Cluster alike (where Jedis offers no {@code MULTI}).
 */
public final class RedisHashWrite {

	private final RedisScript script;

	/**
	 * The write.
	 * @param redis the client
	 */
	public RedisHashWrite(UnifiedJedis redis) {
		this.script = new RedisScript(redis, "/redis/hash-write.lua");
	}

	/**
	 * Set fields and make the hash expire after a time.
	 * @param key the hash
	 * @param fields the fields to set
	 * @param ttlMillis milliseconds from now
	 */
	public void expiringIn(String key, Map<String, String> fields, long ttlMillis) {
		run(key, "PX", ttlMillis, fields);
	}

	/**
	 * Set fields and make the hash expire at a time.
	 * @param key the hash
	 * @param fields the fields to set
	 * @param epochMillis when, in Unix milliseconds
	 */
	public void expiringAt(String key, Map<String, String> fields, long epochMillis) {
		run(key, "PXAT", epochMillis, fields);
	}

	private void run(String key, String mode, long value, Map<String, String> fields) {
		if (fields.isEmpty()) {
			throw new IllegalArgumentException("nothing to write to " + key);
		}
		List<String> args = new ArrayList<>(2 + 2 * fields.size());
		args.add(mode);
		args.add(Long.toString(value));
		fields.forEach((field, fieldValue) -> {
			args.add(field);
			args.add(fieldValue);
		});
		this.script.run(List.of(key), args);
	}

}
