package io.chatrelay.provider.model.zhipu;

import java.time.Duration;
import java.util.Objects;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Static settings of the Zhipu GLM adapter.
 *
 * @param baseUrl the API root, {@code https://open.bigmodel.cn/api/paas/v4} by default
 * @param apiKey the {@code id.secret} API key, from the environment or the config center;
 * never defaulted, never logged. When blank every call fails with {@code UNAUTHORIZED}
 * without contacting Zhipu.
 * @param model the model used when a request names none, {@code glm-4-flash} by default
 * @param connectTimeout TCP/TLS connect timeout, 5 s by default
 * @param firstTokenTimeout for streams, time until the response headers and the first
 * event, 30 s by default (a whole answer waits up to {@code totalTimeout}: its headers
 * only come once it is generated)
 * @param totalTimeout time for the whole call, 120 s by default
 * @param authMode how the key is presented, {@link AuthMode#AUTO} by default
 * @param tokenTtl lifetime written into a signed token's {@code exp}, 210 s by default; a
 * token is reused until {@link #TOKEN_REFRESH_MARGIN} before that
 */
@Validated
@ConfigurationProperties("chat.provider.model.zhipu")
public record ZhipuProperties(@Pattern(regexp = "https?://\\S+") String baseUrl, String apiKey, String model,
		Duration connectTimeout, Duration firstTokenTimeout, Duration totalTimeout, AuthMode authMode,
		Duration tokenTtl) {

	/** The default API root. */
	public static final String DEFAULT_BASE_URL = "https://open.bigmodel.cn/api/paas/v4";

	/** The default model. */
	public static final String DEFAULT_MODEL = "glm-4-flash";

	/** The default token lifetime, as in Zhipu's SDKs. */
	public static final Duration DEFAULT_TOKEN_TTL = Duration.ofSeconds(210);

	/** How long before its {@code exp} a cached token is replaced. */
	public static final Duration TOKEN_REFRESH_MARGIN = Duration.ofSeconds(30);

	/**
	 * Apply defaults and check the durations.
	 * @param baseUrl the API root
	 * @param apiKey the secret key
	 * @param model the default model
	 * @param connectTimeout the connect timeout
	 * @param firstTokenTimeout the first-token timeout
	 * @param totalTimeout the total timeout
	 * @param authMode the authentication mode
	 * @param tokenTtl the signed token lifetime
	 */
	public ZhipuProperties {
		baseUrl = (baseUrl == null || baseUrl.isBlank()) ? DEFAULT_BASE_URL : baseUrl.strip();
		apiKey = (apiKey != null) ? apiKey.strip() : "";
		model = (model == null || model.isBlank()) ? DEFAULT_MODEL : model.strip();
		connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "connectTimeout");
		firstTokenTimeout = positive(firstTokenTimeout, Duration.ofSeconds(30), "firstTokenTimeout");
		totalTimeout = positive(totalTimeout, Duration.ofSeconds(120), "totalTimeout");
		authMode = Objects.requireNonNullElse(authMode, AuthMode.AUTO);
		tokenTtl = Objects.requireNonNullElse(tokenTtl, DEFAULT_TOKEN_TTL);
		if (tokenTtl.compareTo(TOKEN_REFRESH_MARGIN) <= 0) {
			throw new IllegalArgumentException(
					"tokenTtl must be longer than the " + TOKEN_REFRESH_MARGIN + " refresh margin but was " + tokenTtl);
		}
	}

	/**
	 * Whether a key is configured.
	 * @return {@code false} when the key is blank
	 */
	public boolean hasApiKey() {
		return !this.apiKey.isEmpty();
	}

	/**
	 * Whether calls carry a signed JWT rather than the key itself.
	 * @return {@code true} for {@link AuthMode#JWT}, and for {@link AuthMode#AUTO} with
	 * an {@code id.secret} key
	 */
	public boolean usesJwt() {
		return this.authMode == AuthMode.JWT
				|| (this.authMode == AuthMode.AUTO && ZhipuJwtSigner.isIdSecret(this.apiKey));
	}

	/**
	 * How long a signed token is reused.
	 * @return {@link #tokenTtl()} minus {@link #TOKEN_REFRESH_MARGIN}
	 */
	public Duration tokenCacheTime() {
		return this.tokenTtl.minus(TOKEN_REFRESH_MARGIN);
	}

	@Override
	public String toString() {
		return "ZhipuProperties[baseUrl=" + this.baseUrl + ", apiKey=" + mask(this.apiKey) + ", model=" + this.model
				+ ", connectTimeout=" + this.connectTimeout + ", firstTokenTimeout=" + this.firstTokenTimeout
				+ ", totalTimeout=" + this.totalTimeout + ", authMode=" + this.authMode + ", tokenTtl=" + this.tokenTtl
				+ "]";
	}

	/**
	 * Mask a key for display: at most the first four characters of the id part of an
	 * {@code id.secret} key are shown, never anything of the secret.
	 * @param key the key
	 * @return a display-safe form
	 */
	static String mask(String key) {
		if (key == null || key.isEmpty()) {
			return "<not set>";
		}
		int dot = key.indexOf('.');
		return (dot >= 8) ? key.substring(0, 4) + "****" : "****";
	}

	private static Duration positive(Duration value, Duration defaultValue, String name) {
		Duration result = Objects.requireNonNullElse(value, defaultValue);
		if (result.isNegative() || result.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + result);
		}
		return result;
	}

	/**
	 * How the API key is presented to Zhipu.
	 */
	public enum AuthMode {

		/**
		 * A signed JWT when the key has the {@code id.secret} form, else the key as a
		 * Bearer token.
		 */
		AUTO,

		/** The key itself as a Bearer token (the Python SDK's default). */
		BEARER,

		/** Always a signed JWT; a key without the {@code id.secret} form is rejected. */
		JWT

	}

}
