package io.chatrelay.provider.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The provider's HTTP port serves only the actuator: the probes ({@code health},
 * {@code info}) are public, everything else (metrics, prometheus, the operators'
 * {@code tokenusage}) needs the management user's HTTP Basic credentials
 * ({@link ManagementProperties}); anything that is not an endpoint is refused.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

	static final String OPERATOR = "OPERATOR";

	private static final Logger log = LoggerFactory.getLogger(ManagementSecurity.class);

	/**
	 * The management user (as a bean, so that Spring Boot does not make up a user with a
	 * generated password and log it).
	 */
	@Bean
	AuthenticationProvider managementUser(ManagementProperties management) {
		return new ManagementUser(management);
	}

	@Bean
	SecurityFilterChain managementChain(HttpSecurity http, ManagementProperties management) throws Exception {
		if (!management.enabled()) {
			log.warn("No chat.provider.management.password: the actuator port answers only the probes "
					+ "(metrics, prometheus and tokenusage need the management user)");
		}
		return http
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class))
						.permitAll()
						.requestMatchers(EndpointRequest.toAnyEndpoint())
						.hasRole(OPERATOR)
						.anyRequest()
						.denyAll())
			.httpBasic((basic) -> basic.realmName("chatrelay-provider"))
			.csrf(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * The one management user, its password compared in constant time.
	 */
	private record ManagementUser(ManagementProperties management) implements AuthenticationProvider {

		@Override
		public Authentication authenticate(Authentication authentication) {
			String user = authentication.getName();
			Object credentials = authentication.getCredentials();
			if (!this.management.enabled() || credentials == null || !this.management.username().equals(user)
					|| !MessageDigest.isEqual(credentials.toString().getBytes(StandardCharsets.UTF_8),
							this.management.password().getBytes(StandardCharsets.UTF_8))) {
				throw new BadCredentialsException("Wrong management credentials");
			}
			return UsernamePasswordAuthenticationToken.authenticated(user, null,
					List.of(new SimpleGrantedAuthority("ROLE_" + OPERATOR)));
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

}
