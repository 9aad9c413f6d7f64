package io.chatrelay.client.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script from the classpath (the inbox's in {@code src/main/resources/inbox/}, a
 * channel's next to it), run by its SHA and loaded again when the server lost it (a
 * restart, {@code SCRIPT FLUSH}): one round trip per run.
 */
public final class RedisScript {

	private final UnifiedJedis redis;

	private final String source;

	private volatile String sha;

	/**
	 * Read a script.
	 * @param redis where it runs
	 * @param resource its absolute classpath path, such as {@code /inbox/accept.lua}
	 */
	public RedisScript(UnifiedJedis redis, String resource) {
		this.redis = redis;
		try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing script " + resource);
			}
			this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Run it.
	 * @param keys its keys (the first one routes it in a cluster)
	 * @param args its arguments
	 * @return what the script returned
	 */
	public Object run(List<String> keys, List<String> args) {
		String known = this.sha;
		if (known != null) {
			try {
				return this.redis.evalsha(known, keys, args);
			}
			catch (JedisNoScriptException ex) {
				// the server restarted or flushed its scripts: load it again
			}
		}
		this.sha = this.redis.scriptLoad(this.source, keys.get(0));
		return this.redis.evalsha(this.sha, keys, args);
	}

}
