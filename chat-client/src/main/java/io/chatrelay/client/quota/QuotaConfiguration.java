package io.chatrelay.client.quota;

import java.time.Clock;

import io.chatrelay.client.tenant.TenantProperties;
import org.apache.dubbo.rpc.model.ApplicationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the quotas to the config center and Redis.
 * {@code chat.client.quota.enabled=false} switches them off: no quota is checked, the
 * quota document is not read and a WARN says so. It exists for the load tool's baseline
 * (issue 13 measures what quotas cost), not for production, where "no limits" is an empty
 * or absent document.
 */
@Configuration(proxyBeanMethods = false)
class QuotaConfiguration {

	static final String ENABLED = "chat.client.quota.enabled";

	private static final Logger log = LoggerFactory.getLogger(QuotaConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = ENABLED, havingValue = "true", matchIfMissing = true)
	QuotaSubscription quotaSubscription() {
		return new QuotaSubscription(ApplicationModel.defaultModel());
	}

	@Bean
	@ConditionalOnProperty(name = ENABLED, havingValue = "true", matchIfMissing = true)
	Quotas quotas(UnifiedJedis jedis, TenantProperties tenant, QuotaSubscription rules) {
		return new Quotas(jedis, tenant.keyPrefix(), rules, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnProperty(name = ENABLED, havingValue = "false")
	QuotasOff quotasOff() {
		log.warn("{}=false: no quota is checked and the quota document is not read", ENABLED);
		return new QuotasOff();
	}

	/**
	 * Present while quotas are switched off, so the choice shows in the context and the
	 * log.
	 */
	static final class QuotasOff {

	}

}
