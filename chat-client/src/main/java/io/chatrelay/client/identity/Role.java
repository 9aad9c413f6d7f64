package io.chatrelay.client.identity;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do. A role is granted by the identity provider (a claim of the token)
 * or carried by a tenant API key; every authenticated caller is at least a {@link #USER}.
 */
public enum Role {

	/** Chats as themselves. */
	USER,

	/** Manages their tenant: its API keys, quotas and dead letters. */
	TENANT_ADMIN,

	/** Runs the platform: routing, degrade, providers, metrics. */
	OPERATOR;

	/**
	 * The name used in tokens, keys and configuration: {@code user},
	 * {@code tenant-admin}, {@code operator}.
	 * @return the external name
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * The Spring Security authority of this role.
	 * @return {@code ROLE_} and the enum name
	 */
	public String authority() {
		return "ROLE_" + name();
	}

	/**
	 * The role with this external name.
	 * @param id a name such as {@code tenant-admin} (case and {@code _}/{@code -} are
	 * ignored)
	 * @return the role, or empty when the name is unknown
	 */
	public static Optional<Role> fromId(String id) {
		if (id == null) {
			return Optional.empty();
		}
		String name = id.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		for (Role role : values()) {
			if (role.name().equals(name)) {
				return Optional.of(role);
			}
		}
		return Optional.empty();
	}

}
