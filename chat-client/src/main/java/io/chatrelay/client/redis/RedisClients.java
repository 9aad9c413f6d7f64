package io.chatrelay.client.redis;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Builds the node's one Redis client for {@code chat.client.redis.mode}: a pool to one
 * server, a pool to the primary that Redis Sentinel names (it follows failovers), or a
 * Redis Cluster client. Every feature sees the same {@link UnifiedJedis}; what they send
 * works in all three modes because each tenant's keys share one hash slot
 * ({@code cr:{<tenant>}:…}) and multi-key writes are Lua scripts, not {@code MULTI}
 * (which Jedis's cluster client does not offer).
 */
final class RedisClients {

	private static final String CLIENT_NAME = "chat-client";

	private RedisClients() {
	}

	/**
	 * The client.
	 * @param redis the settings
	 * @param sslSocketFactory the TLS socket factory of {@code ssl-bundle}, or
	 * {@code null} for the JVM's default
	 * @return the client; close it when the node stops
	 * @throws IllegalStateException naming the property that is missing or wrong
	 */
	static UnifiedJedis create(RedisProperties redis, SSLSocketFactory sslSocketFactory) {
		GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
		pool.setMaxTotal(redis.maxConnections());
		pool.setMaxIdle(redis.maxConnections());
		pool.setMinIdle(Math.min(8, redis.maxConnections()));
		pool.setJmxEnabled(false);
		return switch (redis.mode()) {
			case STANDALONE -> standalone(redis, sslSocketFactory, pool);
			case SENTINEL -> {
				RedisProperties.Sentinel sentinel = redis.sentinel();
				if (sentinel.master() == null || sentinel.master().isBlank()) {
					throw new IllegalStateException(
							"chat.client.redis.mode=sentinel needs chat.client.redis.sentinel.master");
				}
				JedisClientConfig sentinelConfig = DefaultJedisClientConfig.builder()
					.connectionTimeoutMillis(timeoutMillis(redis))
					.socketTimeoutMillis(timeoutMillis(redis))
					.user(sentinel.username())
					.password(sentinel.password())
					.ssl(redis.ssl())
					.sslSocketFactory(sslSocketFactory)
					.sslParameters(verifyingHostNames())
					.clientName(CLIENT_NAME)
					.build();
				yield new JedisSentineled(sentinel.master(), config(redis, null, null, 0, sslSocketFactory, false),
						pool, nodes("chat.client.redis.sentinel.nodes", sentinel.nodes()), sentinelConfig);
			}
			case CLUSTER -> new JedisCluster(nodes("chat.client.redis.cluster.nodes", redis.cluster().nodes()),
					config(redis, null, null, 0, sslSocketFactory, false), redis.cluster().maxAttempts(), pool);
		};
	}

	private static UnifiedJedis standalone(RedisProperties redis, SSLSocketFactory sslSocketFactory,
			GenericObjectPoolConfig<Connection> pool) {
		URI uri = URI.create(redis.url());
		if (uri.getHost() == null) {
			throw new IllegalStateException("chat.client.redis.url must be redis://[user:password@]host:port[/db]");
		}
		JedisClientConfig config = config(redis, JedisURIHelper.getUser(uri), JedisURIHelper.getPassword(uri),
				JedisURIHelper.getDBIndex(uri), sslSocketFactory, JedisURIHelper.isRedisSSLScheme(uri));
		return new JedisPooled(new HostAndPort(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379), config,
				pool);
	}

	private static JedisClientConfig config(RedisProperties redis, String urlUser, String urlPassword, int database,
			SSLSocketFactory sslSocketFactory, boolean sslScheme) {
		return DefaultJedisClientConfig.builder()
			.connectionTimeoutMillis(timeoutMillis(redis))
			.socketTimeoutMillis(timeoutMillis(redis))
			.user((redis.username() != null) ? redis.username() : urlUser)
			.password((redis.password() != null) ? redis.password() : urlPassword)
			.database(database)
			.ssl(redis.ssl() || sslScheme)
			.sslSocketFactory(sslSocketFactory)
			.sslParameters(verifyingHostNames())
			.clientName(CLIENT_NAME)
			.build();
	}

	/**
	 * TLS that checks the server's certificate names the host the client dialled: Jedis
	 * checks no host name by itself, so any certificate of a trusted CA would pass.
	 */
	static SSLParameters verifyingHostNames() {
		SSLParameters parameters = new SSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		return parameters;
	}

	private static int timeoutMillis(RedisProperties redis) {
		return (int) redis.timeout().toMillis();
	}

	/**
	 * {@code host:port} entries as Jedis addresses.
	 * @param property the property, for the error
	 * @param nodes the entries
	 * @return the addresses, in order
	 * @throws IllegalStateException when there is none or one is not {@code host:port}
	 */
	static Set<HostAndPort> nodes(String property, List<String> nodes) {
		if (nodes == null || nodes.isEmpty()) {
			throw new IllegalStateException(property + " must list at least one host:port");
		}
		Set<HostAndPort> addresses = new LinkedHashSet<>();
		for (String node : nodes) {
			int colon = node.lastIndexOf(':');
			try {
				addresses.add(new HostAndPort(node.substring(0, colon).trim(),
						Integer.parseInt(node.substring(colon + 1).trim())));
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException(property + " must list host:port entries, got '" + node + "'");
			}
		}
		return addresses;
	}

}
