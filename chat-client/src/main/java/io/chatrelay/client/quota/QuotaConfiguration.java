package io.chatrelay.client.quota;

import java.time.Clock;

import io.chatrelay.client.tenant.TenantProperties;
import org.apache.dubbo.rpc.model.ApplicationModel;
import redis.clients.jedis.JedisPooled;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the quotas to the config center and Redis.
 */
@Configuration(proxyBeanMethods = false)
class QuotaConfiguration {

	@Bean(destroyMethod = "close")
	QuotaSubscription quotaSubscription() {
		return new QuotaSubscription(ApplicationModel.defaultModel());
	}

	@Bean
	Quotas quotas(JedisPooled jedis, TenantProperties tenant, QuotaSubscription rules) {
		return new Quotas(jedis, tenant.keyPrefix(), rules, Clock.systemUTC());
	}

}
