package io.chatrelay.client.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * The management port's HTTP Basic user (a metrics scraper or an operator's tool): an
 * {@link Role#OPERATOR} on the management endpoints only (the web API does not accept
 * Basic). Compared in constant time; without a configured password nobody matches.
 */
final class ManagementCredentials implements AuthenticationProvider {

	private final String tenantId;

	private final byte[] username;

	private final byte[] password;

	ManagementCredentials(String tenantId, SecurityProperties.Management settings) {
		this.tenantId = tenantId;
		this.username = settings.username().getBytes(StandardCharsets.UTF_8);
		this.password = settings.enabled() ? settings.password().getBytes(StandardCharsets.UTF_8) : null;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String user = authentication.getName();
		Object credentials = authentication.getCredentials();
		boolean userMatches = MessageDigest.isEqual(this.username, user.getBytes(StandardCharsets.UTF_8));
		boolean passwordMatches = this.password != null && credentials != null
				&& MessageDigest.isEqual(this.password, credentials.toString().getBytes(StandardCharsets.UTF_8));
		if (!userMatches || !passwordMatches) {
			throw new BadCredentialsException("Wrong management credentials");
		}
		return new CallerAuthentication(new Caller(this.tenantId, "management:" + user, Set.of(Role.OPERATOR),
				Caller.Source.MANAGEMENT, null, Set.of()));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
