package io.chatrelay.client.quota;

import io.chatrelay.client.tenant.TenantProperties;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quotas are on unless {@code chat.client.quota.enabled=false} switches them off; then
 * there is no {@link Quotas} bean (the conversation service checks none) and the quota
 * document is not subscribed to. Nothing here talks to Redis.
 */
class QuotaConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(QuotaConfiguration.class)
		.withBean(JedisPooled.class, () -> new JedisPooled("127.0.0.1", 1))
		.withBean(TenantProperties.class, () -> new TenantProperties("acme"));

	@Test
	void quotasAreCheckedByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(Quotas.class)
			.hasSingleBean(QuotaSubscription.class)
			.doesNotHaveBean(QuotaConfiguration.QuotasOff.class));
	}

	@Test
	void switchedOffNoQuotaIsCheckedAndTheDocumentIsNotRead() {
		this.runner.withPropertyValues("chat.client.quota.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(Quotas.class)
				.doesNotHaveBean(QuotaSubscription.class)
				.hasSingleBean(QuotaConfiguration.QuotasOff.class));
	}

}
