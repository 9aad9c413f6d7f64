package io.chatrelay.client.redis;

import java.net.URI;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One pooled Jedis client for the node.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

	@Bean(destroyMethod = "close")
	JedisPooled jedis(RedisProperties redis) {
		URI uri = URI.create(redis.url());
		int timeoutMillis = (int) redis.timeout().toMillis();
		JedisClientConfig config = DefaultJedisClientConfig.builder()
			.connectionTimeoutMillis(timeoutMillis)
			.socketTimeoutMillis(timeoutMillis)
			.user(JedisURIHelper.getUser(uri))
			.password(JedisURIHelper.getPassword(uri))
			.database(JedisURIHelper.getDBIndex(uri))
			.ssl(JedisURIHelper.isRedisSSLScheme(uri))
			.clientName("chat-client")
			.build();
		GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
		pool.setMaxTotal(redis.maxConnections());
		pool.setMaxIdle(redis.maxConnections());
		pool.setMinIdle(Math.min(8, redis.maxConnections()));
		pool.setJmxEnabled(false);
		return new JedisPooled(new HostAndPort(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379), config,
				pool);
	}

	@Bean(destroyMethod = "close")
	RedisWork redisWork(RedisProperties properties) {
		return new RedisWork(properties.workerThreads());
	}

}
