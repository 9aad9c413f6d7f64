package io.chatrelay.client.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of an API key, {@code crk_<id>.<secret>}: the id finds the stored key, the
 * secret (256 random bits) proves possession. Only SHA-256 of the secret is stored; a
 * slow password hash is not needed because the secret is random, not chosen by a person.
 *
 * @param id 16 hex digits
 * @param secret 43 base64url characters
 */
record ApiKeyToken(String id, String secret) {

	static final String PREFIX = "crk_";

	private static final Pattern FORMAT = Pattern.compile("crk_([0-9a-f]{16})\\.([A-Za-z0-9_-]{43})");

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * A new random key.
	 * @return the token
	 */
	static ApiKeyToken generate() {
		return new ApiKeyToken(HexFormat.of().formatHex(random(8)), newSecret());
	}

	/**
	 * A new secret for an existing id (rotation).
	 * @return the secret
	 */
	static String newSecret() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
	}

	/**
	 * Parse a presented key.
	 * @param text what the caller sent
	 * @return the token, or empty when it is not in the key format
	 */
	static Optional<ApiKeyToken> parse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		var matcher = FORMAT.matcher(text.trim());
		return matcher.matches() ? Optional.of(new ApiKeyToken(matcher.group(1), matcher.group(2))) : Optional.empty();
	}

	/**
	 * Whether some text claims to be an API key (so that it is not mistaken for a JWT).
	 * @param text a bearer credential
	 * @return {@code true} when it starts with {@value #PREFIX}
	 */
	static boolean looksLikeKey(String text) {
		return text != null && text.startsWith(PREFIX);
	}

	/**
	 * The hash that is stored.
	 * @param secret a secret
	 * @return SHA-256, hex
	 */
	static String hash(String secret) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/**
	 * Whether this token's secret matches a stored hash, in constant time.
	 * @param storedHash the stored hash
	 * @return {@code true} on a match
	 */
	boolean matches(String storedHash) {
		return MessageDigest.isEqual(hash(this.secret).getBytes(StandardCharsets.US_ASCII),
				storedHash.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * The text handed to the key's owner, once.
	 * @return {@code crk_<id>.<secret>}
	 */
	String text() {
		return PREFIX + this.id + "." + this.secret;
	}

	@Override
	public String toString() {
		return PREFIX + this.id + ".***";
	}

	private static byte[] random(int bytes) {
		byte[] value = new byte[bytes];
		RANDOM.nextBytes(value);
		return value;
	}

}
