package io.chatrelay.client.identity;

import java.time.Duration;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the web API and the management endpoints ({@code chat.client.security.*}).
 * docs/security.md explains each setting.
 *
 * @param anonymous the explicit anonymous mode: web callers without a credential are
 * accepted and the body's {@code userId} names the user. Off by default; for a laptop or
 * a loopback demo only
 * @param jwt employees' bearer tokens from the tenant's identity provider
 * @param apiKeys tenant API keys for systems
 * @param management the credentials of the management port (metrics scrapers)
 */
@Validated
@ConfigurationProperties("chat.client.security")
public record SecurityProperties(@DefaultValue("false") boolean anonymous, @Valid @DefaultValue Jwt jwt,
		@Valid @DefaultValue ApiKeys apiKeys, @Valid @DefaultValue Management management) {

	/**
	 * OIDC/JWT resource server settings. Tokens are accepted only when both the issuer
	 * and the JWKS URL are set.
	 *
	 * @param issuer the required {@code iss} claim
	 * @param jwkSetUri where the identity provider publishes its signing keys
	 * @param audience the required {@code aud} value, or empty to accept any
	 * @param userClaim the claim that names the user
	 * @param rolesClaim the claim listing roles ({@code tenant-admin}, {@code operator})
	 * @param clockSkew tolerance on {@code exp}/{@code nbf}
	 */
	public record Jwt(String issuer, String jwkSetUri, String audience, @DefaultValue("sub") String userClaim,
			@DefaultValue("roles") String rolesClaim, @DefaultValue("30s") Duration clockSkew) {

		/**
		 * Whether bearer tokens are accepted at all.
		 * @return {@code true} when the issuer and the JWKS URL are both set
		 */
		public boolean enabled() {
			return hasText(this.issuer) && hasText(this.jwkSetUri);
		}

	}

	/**
	 * Tenant API keys.
	 *
	 * @param bootstrapAdminKey a secret that acts as a {@code tenant-admin} key, to
	 * create the first keys (from the environment, never with a default)
	 * @param cacheTtl how long a node trusts a key it looked up: a revocation holds on
	 * every node within this time
	 */
	public record ApiKeys(String bootstrapAdminKey, @DefaultValue("500ms") Duration cacheTtl) {

		public ApiKeys {
			if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofSeconds(1)) > 0) {
				throw new IllegalArgumentException(
						"chat.client.security.api-keys.cache-ttl must be between 0 and 1s (revocations must hold within a second)");
			}
		}

	}

	/**
	 * HTTP Basic credentials of the management port.
	 *
	 * @param username the user name
	 * @param password the password (from the environment); without it only the probes
	 * answer
	 */
	public record Management(@DefaultValue("prometheus") String username, String password) {

		/**
		 * Whether the credentials are set.
		 * @return {@code true} when a password is configured
		 */
		public boolean enabled() {
			return hasText(this.password);
		}

	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
