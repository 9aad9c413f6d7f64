package io.chatrelay.client.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Employees' bearer tokens: which tokens are accepted (signed by a key from the identity
 * provider's JWKS with an asymmetric algorithm, from the configured issuer, not expired,
 * naming a user) and how a token becomes a {@link Caller} of this node's tenant. Unsigned
 * ({@code alg: none}) and HMAC tokens are refused by construction: only the listed
 * algorithms are accepted.
 */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {

	static final int MAX_USER_ID_LENGTH = 256;

	private final String tenantId;

	private final SecurityProperties.Jwt settings;

	JwtCallers(String tenantId, SecurityProperties.Jwt settings) {
		this.tenantId = tenantId;
		this.settings = settings;
	}

	/**
	 * The decoder that checks signature, issuer, time, audience and the user claim.
	 * @return a decoder that fetches (and caches) the JWKS on first use
	 */
	JwtDecoder decoder() {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(this.settings.jwkSetUri())
			.jwsAlgorithms((algorithms) -> algorithms
				.addAll(List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384, SignatureAlgorithm.RS512,
						SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.PS256)))
			.build();
		decoder.setJwtValidator(validator());
		return decoder;
	}

	OAuth2TokenValidator<Jwt> validator() {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator(this.settings.clockSkew()));
		validators.add(new JwtIssuerValidator(this.settings.issuer()));
		validators.add(new JwtClaimValidator<>(this.settings.userClaim(), (Object value) -> value instanceof String user
				&& !user.isBlank() && user.length() <= MAX_USER_ID_LENGTH));
		String audience = this.settings.audience();
		if (audience != null && !audience.isBlank()) {
			validators.add((jwt) -> (jwt.getAudience() != null && jwt.getAudience().contains(audience))
					? OAuth2TokenValidatorResult.success()
					: OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null)));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		return new CallerAuthentication(new Caller(this.tenantId, jwt.getClaimAsString(this.settings.userClaim()),
				roles(jwt.getClaim(this.settings.rolesClaim())), Caller.Source.TOKEN, null, Set.of()));
	}

	private static Set<Role> roles(Object claim) {
		Set<Role> roles = EnumSet.noneOf(Role.class);
		if (claim instanceof Collection<?> values) {
			values.forEach((value) -> Role.fromId(String.valueOf(value)).ifPresent(roles::add));
		}
		else if (claim instanceof String text) {
			for (String value : text.split("[\\s,]+")) {
				Role.fromId(value).ifPresent(roles::add);
			}
		}
		return roles;
	}

}
