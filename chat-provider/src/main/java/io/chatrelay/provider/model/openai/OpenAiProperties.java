package io.chatrelay.provider.model.openai;

import java.time.Duration;
import java.util.Objects;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Static settings of the OpenAI adapter.
 *
 * @param baseUrl the API root, {@code https://api.openai.com/v1} by default (any
 * OpenAI-compatible endpoint works)
 * @param apiKey the secret key, from the environment or the config center; never
 * defaulted, never logged. When blank every call fails with {@code UNAUTHORIZED} without
 * contacting OpenAI.
 * @param model the model used when a request names none, {@code gpt-4o-mini} by default
 * @param connectTimeout TCP/TLS connect timeout, 5 s by default
 * @param firstTokenTimeout for streams, time until the response headers and the first
 * event, 30 s by default (a whole answer waits up to {@code totalTimeout}: its headers
 * only come once it is generated)
 * @param totalTimeout time for the whole call, 120 s by default
 */
@Validated
@ConfigurationProperties("chat.provider.model.openai")
public record OpenAiProperties(@Pattern(regexp = "https?://\\S+") String baseUrl, String apiKey, String model,
		Duration connectTimeout, Duration firstTokenTimeout, Duration totalTimeout) {

	/** The default API root. */
	public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

	/** The default model. */
	public static final String DEFAULT_MODEL = "gpt-4o-mini";

	/**
	 * Apply defaults and check the timeouts.
	 * @param baseUrl the API root
	 * @param apiKey the secret key
	 * @param model the default model
	 * @param connectTimeout the connect timeout
	 * @param firstTokenTimeout the first-token timeout
	 * @param totalTimeout the total timeout
	 */
	public OpenAiProperties {
		baseUrl = (baseUrl == null || baseUrl.isBlank()) ? DEFAULT_BASE_URL : baseUrl.strip();
		apiKey = (apiKey != null) ? apiKey.strip() : "";
		model = (model == null || model.isBlank()) ? DEFAULT_MODEL : model.strip();
		connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "connectTimeout");
		firstTokenTimeout = positive(firstTokenTimeout, Duration.ofSeconds(30), "firstTokenTimeout");
		totalTimeout = positive(totalTimeout, Duration.ofSeconds(120), "totalTimeout");
	}

	/**
	 * Whether a key is configured.
	 * @return {@code false} when the key is blank
	 */
	public boolean hasApiKey() {
		return !this.apiKey.isEmpty();
	}

	@Override
	public String toString() {
		return "OpenAiProperties[baseUrl=" + this.baseUrl + ", apiKey=" + mask(this.apiKey) + ", model=" + this.model
				+ ", connectTimeout=" + this.connectTimeout + ", firstTokenTimeout=" + this.firstTokenTimeout
				+ ", totalTimeout=" + this.totalTimeout + "]";
	}

	/**
	 * Mask a secret for display: only the last four characters of a long key are shown.
	 * @param secret the secret
	 * @return a display-safe form
	 */
	static String mask(String secret) {
		if (secret == null || secret.isEmpty()) {
			return "<not set>";
		}
		return (secret.length() >= 20) ? "****" + secret.substring(secret.length() - 4) : "****";
	}

	private static Duration positive(Duration value, Duration defaultValue, String name) {
		Duration result = Objects.requireNonNullElse(value, defaultValue);
		if (result.isNegative() || result.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + result);
		}
		return result;
	}

}
