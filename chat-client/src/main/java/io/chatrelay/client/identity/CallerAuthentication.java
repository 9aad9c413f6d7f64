package io.chatrelay.client.identity;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A proven {@link Caller} in Spring Security's context; its authorities are the caller's
 * roles.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

	private final transient Caller caller;

	CallerAuthentication(Caller caller) {
		super(caller.roles().stream().map((role) -> new SimpleGrantedAuthority(role.authority())).toList());
		this.caller = caller;
		setAuthenticated(true);
	}

	Caller caller() {
		return this.caller;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.caller;
	}

	@Override
	public String getName() {
		return this.caller.userId();
	}

}
