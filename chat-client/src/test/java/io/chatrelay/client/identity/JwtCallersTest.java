package io.chatrelay.client.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class JwtCallersTest {

	private static final String ISSUER = "https://idp.example.com/realms/acme";

	private final JwtCallers callers = new JwtCallers("acme", new SecurityProperties.Jwt(ISSUER,
			"https://idp.example.com/jwks", "chatrelay", "preferred_username", "roles", Duration.ofSeconds(30)));

	private final OAuth2TokenValidator<Jwt> validator = this.callers.validator();

	@Test
	void aCurrentTokenFromTheIssuerWithAUserIsValid() {
		assertThat(this.validator.validate(token().build()).hasErrors()).isFalse();
	}

	@Test
	void anExpiredTokenIsInvalidBeyondTheClockSkew() {
		Instant now = Instant.now();
		Jwt expired = token().issuedAt(now.minusSeconds(3600)).expiresAt(now.minusSeconds(31)).build();
		Jwt withinSkew = token().issuedAt(now.minusSeconds(3600)).expiresAt(now.minusSeconds(10)).build();

		assertThat(this.validator.validate(expired).hasErrors()).isTrue();
		assertThat(this.validator.validate(withinSkew).hasErrors()).isFalse();
	}

	@Test
	void aTokenOfAnotherIssuerIsInvalid() {
		assertThat(this.validator.validate(token().issuer("https://evil.example.com").build()).hasErrors()).isTrue();
	}

	@Test
	void aTokenForAnotherAudienceIsInvalid() {
		assertThat(this.validator.validate(token().audience(List.of("other-app")).build()).hasErrors()).isTrue();
	}

	@Test
	void aTokenThatNamesNoUserIsInvalid() {
		Jwt noUser = token().claims((claims) -> claims.remove("preferred_username")).build();
		Jwt blankUser = token().claim("preferred_username", " ").build();
		Jwt hugeUser = token().claim("preferred_username", "u".repeat(JwtCallers.MAX_USER_ID_LENGTH + 1)).build();

		assertThat(this.validator.validate(noUser).hasErrors()).isTrue();
		assertThat(this.validator.validate(blankUser).hasErrors()).isTrue();
		assertThat(this.validator.validate(hugeUser).hasErrors()).isTrue();
	}

	@Test
	void theCallerIsTheClaimedUserOfTheNodesTenantWithKnownRolesOnly() {
		Jwt jwt = token().claim("roles", List.of("tenant-admin", "root")).build();

		Caller caller = (Caller) this.callers.convert(jwt).getPrincipal();

		assertThat(caller.tenantId()).isEqualTo("acme");
		assertThat(caller.userId()).isEqualTo("alice");
		assertThat(caller.roles()).containsExactlyInAnyOrder(Role.USER, Role.TENANT_ADMIN);
		assertThat(caller.source()).isEqualTo(Caller.Source.TOKEN);
	}

	@Test
	void rolesMayAlsoBeASpaceSeparatedString() {
		Caller caller = (Caller) this.callers.convert(token().claim("roles", "operator user").build()).getPrincipal();

		assertThat(caller.roles()).containsExactlyInAnyOrder(Role.USER, Role.OPERATOR);
	}

	private static Jwt.Builder token() {
		Instant now = Instant.now();
		return Jwt.withTokenValue("token")
			.header("alg", "RS256")
			.issuer(ISSUER)
			.audience(List.of("chatrelay"))
			.subject("id-123")
			.claim("preferred_username", "alice")
			.issuedAt(now.minusSeconds(10))
			.expiresAt(now.plusSeconds(600));
	}

}
