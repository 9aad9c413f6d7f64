package io.chatrelay.client.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script from the class path ({@code src/main/resources/<feature>/}), run by its
 * SHA and loaded again when the server lost it (a restart, {@code SCRIPT FLUSH}).
 */
public final class RedisScript {

	private final UnifiedJedis redis;

	private final String source;

	private volatile String sha;

	/**
	 * Load a script from the class path.
	 * @param redis the client
	 * @param resource its class-path location, e.g. {@code /inbox/accept.lua}
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
	 * Run the script, loading it first when the server does not know it.
	 * @param keys its keys (the first routes it in a cluster)
	 * @param args its arguments
	 * @return what it returned
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

	/**
	 * Run the script, then {@code WAIT} on the same connection until that many replicas
	 * hold what it wrote: {@code WAIT} only covers the writes of its own connection, so a
	 * separate call could return at once for another connection's writes. Both go in one
	 * pipeline (one round trip plus the wait; in a cluster both go to the node of the
	 * first key).
	 * @param keys its keys (the first routes it in a cluster)
	 * @param args its arguments
	 * @param replicas how many replicas must confirm
	 * @param timeoutMillis how long to wait for them
	 * @return what the script returned and how many replicas confirmed
	 */
	public Replicated runAndWait(List<String> keys, List<String> args, int replicas, long timeoutMillis) {
		for (int attempt = 1;; attempt++) {
			String known = this.sha;
			if (known == null) {
				known = this.redis.scriptLoad(this.source, keys.get(0));
				this.sha = known;
			}
			try (AbstractPipeline pipeline = this.redis.pipelined()) {
				Response<Object> result = pipeline.evalsha(known, keys, args);
				Response<Long> confirmed = pipeline.waitReplicas(keys.get(0), replicas, timeoutMillis);
				pipeline.sync();
				return new Replicated(result.get(), confirmed.get());
			}
			catch (JedisNoScriptException ex) {
				if (attempt > 1) {
					throw ex;
				}
				// the server restarted or flushed its scripts: load it again
				this.sha = null;
			}
		}
	}

	/**
	 * A script's result and the replicas that confirmed its writes.
	 *
	 * @param result what the script returned
	 * @param confirmed replicas that acknowledged the writes within the timeout
	 */
	public record Replicated(Object result, long confirmed) {
	}

}
