package io.chatrelay.client.redis;

import javax.net.ssl.SSLSocketFactory;

import redis.clients.jedis.UnifiedJedis;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Redis client for the node (one server, Sentinel or Cluster: {@link RedisClients}).
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

	@Bean(destroyMethod = "close")
	UnifiedJedis jedis(RedisProperties redis, ObjectProvider<SslBundles> sslBundles) {
		SSLSocketFactory sslSocketFactory = null;
		if (redis.sslBundle() != null && !redis.sslBundle().isBlank()) {
			SslBundles bundles = sslBundles.getIfAvailable();
			if (bundles == null) {
				throw new IllegalStateException("chat.client.redis.ssl-bundle is set but no SSL bundle is configured");
			}
			sslSocketFactory = bundles.getBundle(redis.sslBundle()).createSslContext().getSocketFactory();
		}
		return RedisClients.create(redis, sslSocketFactory);
	}

	@Bean(destroyMethod = "close")
	RedisWork redisWork(RedisProperties properties) {
		return new RedisWork(properties.workerThreads());
	}

}
