package io.chatrelay.provider.model.zhipu;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Signs and caches the HS256 JWT that Zhipu accepts instead of the raw {@code id.secret}
 * key: header {@code {"alg":"HS256","sign_type":"SIGN","typ":"JWT"}}, payload
 * {@code {"api_key":id,"exp":now_ms+ttl,"timestamp":now_ms}} (milliseconds, not the JWT
 * standard's seconds), HMAC-SHA256 with the secret, Base64URL without padding. The JSON
 * bytes are those of Zhipu's Python SDK (PyJWT sorts keys and adds {@code typ}), so the
 * shared test vector reproduces exactly; the server only checks the HMAC.
 *
 * <p>
 * A token is reused until {@code cacheFor} after signing (the SDK's 180 s for a 210 s
 * {@code exp}). Readers take the cached token from a volatile field without locking; when
 * it is missing or due, one thread signs under a lock and the others, re-checking under
 * the same lock, reuse its token, so concurrent callers cause one signature. No token is
 * ever signed speculatively.
 */
final class ZhipuJwtSigner {

	private static final Pattern ID_SECRET = Pattern.compile("[^.\\s]+\\.[^.\\s]+");

	private static final String HEADER_JSON = "{\"alg\":\"HS256\",\"sign_type\":\"SIGN\",\"typ\":\"JWT\"}";

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final String ENCODED_HEADER = BASE64URL.encodeToString(HEADER_JSON.getBytes(StandardCharsets.UTF_8));

	private static final String HMAC_SHA256 = "HmacSHA256";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String id;

	private final SecretKeySpec key;

	private final long ttlMillis;

	private final long cacheMillis;

	private final Clock clock;

	private final Object lock = new Object();

	private final AtomicLong signatures = new AtomicLong();

	private volatile CachedToken current;

	/**
	 * Create a signer.
	 * @param apiKey the {@code id.secret} key
	 * @param ttl the lifetime written into {@code exp}
	 * @param cacheFor how long a token is reused, shorter than {@code ttl}
	 * @param clock the clock for {@code timestamp}, {@code exp} and the cache
	 * @throws IllegalArgumentException if the key does not have the {@code id.secret}
	 * form or the durations do not fit
	 */
	ZhipuJwtSigner(String apiKey, Duration ttl, Duration cacheFor, Clock clock) {
		if (!isIdSecret(apiKey)) {
			throw new IllegalArgumentException("Zhipu API key does not have the id.secret form");
		}
		int dot = apiKey.indexOf('.');
		this.id = apiKey.substring(0, dot);
		this.key = new SecretKeySpec(apiKey.substring(dot + 1).getBytes(StandardCharsets.UTF_8), HMAC_SHA256);
		this.ttlMillis = ttl.toMillis();
		this.cacheMillis = cacheFor.toMillis();
		if (this.cacheMillis <= 0 || this.cacheMillis >= this.ttlMillis) {
			throw new IllegalArgumentException("token cache time must be positive and shorter than its lifetime");
		}
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Whether a key can be signed with: exactly one dot between a non-empty id and a
	 * non-empty secret.
	 * @param apiKey the key, may be {@code null}
	 * @return {@code true} for the {@code id.secret} form
	 */
	static boolean isIdSecret(String apiKey) {
		return apiKey != null && ID_SECRET.matcher(apiKey).matches();
	}

	/**
	 * The token to send now: the cached one while it is fresh, else a new one.
	 * @return a compact JWS
	 */
	String token() {
		CachedToken cached = this.current;
		if (cached != null && cached.isFreshAt(this.clock.millis())) {
			return cached.value();
		}
		synchronized (this.lock) {
			cached = this.current;
			long now = this.clock.millis();
			if (cached != null && cached.isFreshAt(now)) {
				return cached.value();
			}
			String value = sign(now);
			this.current = new CachedToken(value, now + this.cacheMillis);
			return value;
		}
	}

	/**
	 * Drop the cached token (Zhipu rejected a token, e.g. code 1003 "expired"), so the
	 * next call signs a new one.
	 */
	void invalidate() {
		this.current = null;
	}

	/**
	 * Sign a token for a given instant, bypassing the cache.
	 * @param nowMillis the {@code timestamp} claim
	 * @return a compact JWS
	 */
	String sign(long nowMillis) {
		byte[] payload;
		try {
			payload = JSON.writeValueAsBytes(new Claims(this.id, nowMillis + this.ttlMillis, nowMillis));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot serialise the token claims", ex);
		}
		String signingInput = ENCODED_HEADER + '.' + BASE64URL.encodeToString(payload);
		try {
			Mac mac = Mac.getInstance(HMAC_SHA256);
			mac.init(this.key);
			byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
			this.signatures.incrementAndGet();
			return signingInput + '.' + BASE64URL.encodeToString(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * How many tokens this signer has signed, for tests and metrics.
	 * @return the signature count
	 */
	long signatures() {
		return this.signatures.get();
	}

	@Override
	public String toString() {
		return "ZhipuJwtSigner[id=" + ZhipuProperties.mask(this.id + ".") + "]";
	}

	private record CachedToken(String value, long refreshAtMillis) {

		boolean isFreshAt(long nowMillis) {
			return nowMillis < this.refreshAtMillis;
		}

	}

	@JsonPropertyOrder({ "api_key", "exp", "timestamp" })
	private record Claims(@JsonProperty("api_key") String apiKey, @JsonProperty("exp") long exp,
			@JsonProperty("timestamp") long timestamp) {

	}

}
