package io.chatrelay.client.redis;

import redis.clients.jedis.UnifiedJedis;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code redis} in {@code /actuator/health} and in the readiness group: a client node
 * without Redis can neither store context nor accept callbacks (they would answer 503),
 * so it is not ready.
 */
@Component("redis")
class RedisHealthIndicator implements HealthIndicator {

	private final UnifiedJedis jedis;

	RedisHealthIndicator(UnifiedJedis jedis) {
		this.jedis = jedis;
	}

	@Override
	public Health health() {
		try {
			String pong = this.jedis.ping();
			return "PONG".equals(pong) ? Health.up().build() : Health.down().withDetail("ping", pong).build();
		}
		catch (RuntimeException ex) {
			return Health.down().withDetail("error", ex.getClass().getSimpleName()).build();
		}
	}

}
