package io.chatrelay.client.identity;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

import io.chatrelay.client.tenant.TenantProperties;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call what. Three filter chains:
 * <ul>
 * <li>platform callbacks ({@code /callback/**}): public, as each checks its platform's
 * signature; a chain with only the authorization filter, as callbacks are most of the
 * traffic and a full chain was 8.5 % of the client's CPU at 300 msg/s;</li>
 * <li>the management endpoints (on the management port): the probes are public; the dead
 * letters need a {@code tenant-admin} or {@code operator}; everything else (metrics,
 * prometheus) an {@code operator}, for example the HTTP Basic scraper user;</li>
 * <li>the rest: {@code /api/v1/admin/**} needs a {@code tenant-admin} or
 * {@code operator}; {@code /api/v1/**} needs a bearer token or an API key, unless the
 * explicit anonymous mode is on.</li>
 * </ul>
 * Stateless: no session, no cookie, so no CSRF token either.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(IdentityConfiguration.class);

	@Bean
	ApiKeyStore apiKeyStore(UnifiedJedis jedis, TenantProperties tenant, SecurityProperties security) {
		return new ApiKeyStore(jedis, tenant.keyPrefix(), security.apiKeys().cacheTtl(), Clock.systemUTC());
	}

	@Bean
	ApiKeyController apiKeyController(ApiKeyStore keys) {
		return new ApiKeyController(keys, Clock.systemUTC());
	}

	@Bean
	ManagementCredentials managementCredentials(TenantProperties tenant, SecurityProperties security) {
		if (!security.management().enabled()) {
			log.warn("No chat.client.security.management.password: the management port answers only the probes "
					+ "(metrics and prometheus need the operator role)");
		}
		return new ManagementCredentials(tenant.tenantId(), security.management());
	}

	@Bean
	@Order(0)
	SecurityFilterChain callbackChain(HttpSecurity http) throws Exception {
		return http.securityMatcher("/callback/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf(AbstractHttpConfigurer::disable)
			.headers(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.securityContext(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement(AbstractHttpConfigurer::disable)
			.exceptionHandling(AbstractHttpConfigurer::disable)
			.servletApi(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.build();
	}

	/**
	 * No Spring Security observations at all: besides each filter's own observation
	 * (already off through {@code management.observations.enable.spring.security}), this
	 * drops the decorator that wrapped every filter of every chain on every request. The
	 * request itself is still timed ({@code http.server.requests}).
	 * @return the settings
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	@Order(1)
	SecurityFilterChain managementChain(HttpSecurity http, ApiKeyStore keys, TenantProperties tenant,
			SecurityProperties security) throws Exception {
		JsonErrors errors = new JsonErrors("Basic realm=\"chatrelay-management\"");
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
				.permitAll()
				.requestMatchers(EndpointRequest.to("deadletters"))
				.hasAnyRole(Role.TENANT_ADMIN.name(), Role.OPERATOR.name())
				.anyRequest()
				.hasRole(Role.OPERATOR.name()))
			.httpBasic((basic) -> basic.authenticationEntryPoint(errors));
		return common(http, keys, tenant, security, errors).build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain apiChain(HttpSecurity http, ApiKeyStore keys, TenantProperties tenant,
			SecurityProperties security) throws Exception {
		JsonErrors errors = new JsonErrors("Bearer");
		http.authorizeHttpRequests((requests) -> {
			requests.requestMatchers("/error").permitAll();
			requests.requestMatchers("/api/v1/admin/**").hasAnyRole(Role.TENANT_ADMIN.name(), Role.OPERATOR.name());
			if (security.anonymous()) {
				requests.requestMatchers("/api/**").permitAll();
			}
			else {
				requests.requestMatchers("/api/**").authenticated();
			}
			requests.anyRequest().permitAll();
		});
		log.info("Web API: {}; bearer tokens {}; tenant API keys on",
				security.anonymous() ? "ANONYMOUS MODE (callers without a credential are accepted and name themselves)"
						: "a credential is required",
				security.jwt().enabled() ? "from " + security.jwt().issuer() : "off (no issuer and JWKS URL)");
		return common(http, keys, tenant, security, errors).build();
	}

	private static HttpSecurity common(HttpSecurity http, ApiKeyStore keys, TenantProperties tenant,
			SecurityProperties security, JsonErrors errors) throws Exception {
		ApiKeyCallers callers = new ApiKeyCallers(keys, tenant.tenantId(), security.apiKeys().bootstrapAdminKey());
		if (security.jwt().enabled()) {
			JwtCallers jwt = new JwtCallers(tenant.tenantId(), security.jwt());
			DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
			http.oauth2ResourceServer((server) -> server
				.bearerTokenResolver((request) -> ApiKeyAuthenticationFilter.presentedKey(request) != null ? null
						: bearer.resolve(request))
				.authenticationEntryPoint(errors)
				.jwt((token) -> token.decoder(jwt.decoder()).jwtAuthenticationConverter(jwt)));
		}
		return http.csrf(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.exceptionHandling((handling) -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors))
			.addFilterBefore(new ApiKeyAuthenticationFilter(callers, errors), BearerTokenAuthenticationFilter.class);
	}

}
