package io.chatrelay.client.identity;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.chatrelay.client.quota.KeyLimits;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling, as established by a credential: the user id the conversation belongs to
 * never comes from a request body (except in the explicit anonymous mode, where there is
 * no {@code Caller}).
 *
 * @param tenantId the tenant the credential belongs to
 * @param userId the user (token claim) or the key's id ({@code key:<id>})
 * @param roles what the caller may do, at least {@link Role#USER}
 * @param source which kind of credential proved it
 * @param keyId the API key's id, or {@code null} for a token
 * @param models models the credential may use; empty means every model
 * @param keyLimits the API key's own limits, or {@code null}
 */
public record Caller(String tenantId, String userId, Set<Role> roles, Source source, String keyId, Set<String> models,
		KeyLimits keyLimits) {

	/**
	 * The kinds of credential.
	 */
	public enum Source {

		/** An OIDC/JWT bearer token from the tenant's identity provider. */
		TOKEN,

		/** A tenant API key. */
		API_KEY,

		/** The management credentials (metrics scrapers, operators' tools). */
		MANAGEMENT

	}

	public Caller {
		Objects.requireNonNull(tenantId, "tenantId");
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(source, "source");
		EnumSet<Role> all = EnumSet.of(Role.USER);
		all.addAll(Objects.requireNonNull(roles, "roles"));
		roles = Set.copyOf(all);
		models = Set.copyOf(Objects.requireNonNull(models, "models"));
	}

	/**
	 * A caller without limits of its own.
	 * @param tenantId the tenant
	 * @param userId the user
	 * @param roles the roles
	 * @param source the kind of credential
	 * @param keyId the API key's id or {@code null}
	 * @param models allowed models, empty for all
	 */
	public Caller(String tenantId, String userId, Set<Role> roles, Source source, String keyId, Set<String> models) {
		this(tenantId, userId, roles, source, keyId, models, null);
	}

	/**
	 * Whether this caller has a role.
	 * @param role the role
	 * @return {@code true} when granted
	 */
	/**
	 * Whether this caller may ask for a model (an API key's {@code models}; empty means
	 * every model its tenant has).
	 * @param model the model alias asked for
	 * @return {@code true} if allowed
	 */
	public boolean mayUse(String model) {
		return this.models.isEmpty() || this.models.contains(model);
	}

	public boolean has(Role role) {
		return this.roles.contains(role);
	}

	/**
	 * The caller of the current request, if a credential established one.
	 * @return the caller or {@code null} (no credential, or anonymous mode)
	 */
	public static Caller current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof CallerAuthentication caller) {
			return caller.caller();
		}
		return null;
	}

}
