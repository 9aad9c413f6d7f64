package io.chatrelay.client.identity;

import java.util.List;

import io.chatrelay.client.tenant.TenantProperties;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter chains as Spring Security builds them, with an observation registry in the
 * context as in the application: platform callbacks pass two filters, and no chain is
 * wrapped in Spring Security's observation decorator. Nothing here talks to Redis.
 */
class IdentityConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class, ObservationAutoConfiguration.class,
				WebMvcAutoConfiguration.class, DispatcherServletAutoConfiguration.class))
		.withUserConfiguration(IdentityConfiguration.class, Properties.class)
		.withBean(JedisPooled.class, () -> new JedisPooled("127.0.0.1", 1))
		.withBean(TenantProperties.class, () -> new TenantProperties("acme"));

	@Test
	void aCallbackPassesOnlyTheAuthorizationFilterAndNoChainIsObserved() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			FilterChainProxy proxy = context.getBean(FilterChainProxy.class);
			MockHttpServletRequest callback = new MockHttpServletRequest("POST", "/callback/dingtalk");
			callback.setServletPath("/callback/dingtalk");
			SecurityFilterChain chain = proxy.getFilterChains()
				.stream()
				.filter((candidate) -> candidate.matches(callback))
				.findFirst()
				.orElseThrow();
			List<Class<?>> filters = chain.getFilters().stream().<Class<?>>map(Object::getClass).toList();
			assertThat(filters).containsExactly(WebAsyncManagerIntegrationFilter.class, AuthorizationFilter.class);
			assertThat(ReflectionTestUtils.getField(proxy, "filterChainDecorator"))
				.isNotInstanceOf(ObservationFilterChainDecorator.class);
		});
	}

	@EnableConfigurationProperties(SecurityProperties.class)
	static class Properties {

	}

}
