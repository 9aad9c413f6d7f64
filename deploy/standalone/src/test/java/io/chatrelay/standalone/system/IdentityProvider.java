package io.chatrelay.standalone.system;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * A company's identity provider as the client sees it: a JWKS document on WireMock and
 * RS256 tokens signed here with the JCE, independently of the client's libraries.
 */
final class IdentityProvider {

	static final String ISSUER = "https://idp.example.com/realms/acme";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

	private final KeyPair keys;

	private final KeyPair otherKeys;

	private final String keyId = "test-key-1";

	private IdentityProvider(KeyPair keys, KeyPair otherKeys) {
		this.keys = keys;
		this.otherKeys = otherKeys;
	}

	/**
	 * Create the keys and publish the JWKS at {@code /jwks} of a WireMock server.
	 * @param server where to publish
	 * @return the identity provider
	 * @throws GeneralSecurityException if RSA is unavailable
	 */
	static IdentityProvider publishOn(WireMockServer server) throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		IdentityProvider idp = new IdentityProvider(generator.generateKeyPair(), generator.generateKeyPair());
		RSAPublicKey key = (RSAPublicKey) idp.keys.getPublic();
		String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + idp.keyId
				+ "\",\"n\":\"" + URL.encodeToString(unsigned(key.getModulus())) + "\",\"e\":\""
				+ URL.encodeToString(unsigned(key.getPublicExponent())) + "\"}]}";
		server.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(jwks)));
		return idp;
	}

	/**
	 * A valid token for a user, for ten minutes.
	 * @param user the {@code sub} claim
	 * @param roles the {@code roles} claim, may be empty
	 * @return the compact JWT
	 */
	String token(String user, String... roles) {
		Instant now = Instant.now();
		return sign(claims(user, ISSUER, now.minusSeconds(5), now.plusSeconds(600), roles), this.keys);
	}

	/**
	 * A token that expired ten minutes ago.
	 * @param user the user
	 * @return the compact JWT
	 */
	String expired(String user) {
		Instant now = Instant.now();
		return sign(claims(user, ISSUER, now.minusSeconds(3600), now.minusSeconds(600)), this.keys);
	}

	/**
	 * A token from another issuer, signed with the right key.
	 * @param user the user
	 * @return the compact JWT
	 */
	String otherIssuer(String user) {
		Instant now = Instant.now();
		return sign(claims(user, "https://evil.example.com", now, now.plusSeconds(600)), this.keys);
	}

	/**
	 * A token signed with a key the JWKS does not have.
	 * @param user the user
	 * @return the compact JWT
	 */
	String foreignKey(String user) {
		Instant now = Instant.now();
		return sign(claims(user, ISSUER, now, now.plusSeconds(600)), this.otherKeys);
	}

	/**
	 * An unsigned token ({@code alg: none}).
	 * @param user the user
	 * @return the compact JWT with an empty signature
	 */
	String unsignedToken(String user) {
		Instant now = Instant.now();
		return encode(Map.of("alg", "none", "typ", "JWT")) + "."
				+ encode(claims(user, ISSUER, now, now.plusSeconds(600))) + ".";
	}

	private static Map<String, Object> claims(String user, String issuer, Instant issued, Instant expires,
			String... roles) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", issuer);
		claims.put("sub", user);
		claims.put("iat", issued.getEpochSecond());
		claims.put("exp", expires.getEpochSecond());
		if (roles.length > 0) {
			claims.put("roles", roles);
		}
		return claims;
	}

	private String sign(Map<String, Object> claims, KeyPair with) {
		String input = encode(Map.of("alg", "RS256", "typ", "JWT", "kid", this.keyId)) + "." + encode(claims);
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(with.getPrivate());
			signature.update(input.getBytes(StandardCharsets.US_ASCII));
			return input + "." + URL.encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(Map<String, ?> json) {
		try {
			return URL.encodeToString(JSON.writeValueAsBytes(json));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		if (bytes.length > 1 && bytes[0] == 0) {
			byte[] trimmed = new byte[bytes.length - 1];
			System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
			return trimmed;
		}
		return bytes;
	}

}
