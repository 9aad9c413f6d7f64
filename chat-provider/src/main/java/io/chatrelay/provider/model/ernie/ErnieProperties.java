package io.chatrelay.provider.model.ernie;

import java.time.Duration;
import java.util.Objects;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Static settings of the Baidu ERNIE (Qianfan) adapter, for either API generation.
 *
 * <p>
 * <strong>{@code model} per version.</strong> For {@code v2} it is the Qianfan model id
 * sent in the body ({@code ernie-speed-128k}, {@code ernie-4.0-8k}, …). For {@code v1} it
 * is the wenxinworkshop <em>endpoint name</em>, the last path segment of
 * {@code /rpc/2.0/ai_custom/v1/wenxinworkshop/chat/<endpoint>}; the two namings differ:
 * <table>
 * <caption>v1 endpoint names and the matching v2 model ids</caption>
 * <tr>
 * <th>Model</th>
 * <th>v1 endpoint</th>
 * <th>v2 model</th>
 * </tr>
 * <tr>
 * <td>ERNIE-Speed-8K</td>
 * <td>{@code ernie_speed}</td>
 * <td>{@code ernie-speed-8k}</td>
 * </tr>
 * <tr>
 * <td>ERNIE-Speed-128K</td>
 * <td>{@code ernie-speed-128k}</td>
 * <td>{@code ernie-speed-128k}</td>
 * </tr>
 * <tr>
 * <td>ERNIE-Lite-8K</td>
 * <td>{@code ernie-lite-8k}</td>
 * <td>{@code ernie-lite-8k}</td>
 * </tr>
 * <tr>
 * <td>ERNIE-3.5-8K</td>
 * <td>{@code completions}</td>
 * <td>{@code ernie-3.5-8k}</td>
 * </tr>
 * <tr>
 * <td>ERNIE-4.0-8K</td>
 * <td>{@code completions_pro}</td>
 * <td>{@code ernie-4.0-8k}</td>
 * </tr>
 * <tr>
 * <td>ERNIE-4.0-Turbo-8K</td>
 * <td>{@code ernie-4.0-turbo-8k}</td>
 * <td>{@code ernie-4.0-turbo-8k}</td>
 * </tr>
 * </table>
 * A model named by a request ({@code ModelRequest.model()}) is used the same way.
 *
 * @param apiVersion {@code v2} (default, OpenAI-compatible, Bearer API key) or {@code v1}
 * (classic wenxinworkshop, OAuth access token from an API key/secret key pair)
 * @param baseUrl the API root; {@code https://qianfan.baidubce.com/v2} for v2 and
 * {@code https://aip.baidubce.com} for v1 by default
 * @param apiKey v2 only: the IAM API key ({@code bce-v3/ALTAK-…/…}); from the environment
 * or the config center, never defaulted, never logged
 * @param model v2 model id ({@code ernie-speed-128k} by default) or v1 endpoint name
 * ({@code ernie_speed} by default), see above
 * @param authBaseUrl v1 only: the OAuth root, {@code https://aip.baidubce.com} by default
 * @param accessKey v1 only: the application's API Key ({@code client_id})
 * @param secretKey v1 only: the application's Secret Key ({@code client_secret}); never
 * defaulted, never logged
 * @param connectTimeout TCP/TLS connect timeout, 5 s by default
 * @param firstTokenTimeout time until the v1 token answers and, for streams, until the
 * response headers and the first event (a v1 token fetch included), 30 s by default (a
 * whole answer waits up to {@code totalTimeout})
 * @param totalTimeout time for the whole call, 120 s by default
 */
@Validated
@ConfigurationProperties("chat.provider.model.ernie")
public record ErnieProperties(ApiVersion apiVersion, @Pattern(regexp = "https?://\\S+") String baseUrl, String apiKey,
		String model, @Pattern(regexp = "https?://\\S+") String authBaseUrl, String accessKey, String secretKey,
		Duration connectTimeout, Duration firstTokenTimeout, Duration totalTimeout) {

	/** The default v2 API root. */
	public static final String DEFAULT_V2_BASE_URL = "https://qianfan.baidubce.com/v2";

	/** The default v1 API root, also the default OAuth root. */
	public static final String DEFAULT_V1_BASE_URL = "https://aip.baidubce.com";

	/** The default v2 model id. */
	public static final String DEFAULT_V2_MODEL = "ernie-speed-128k";

	/** The default v1 endpoint name (ERNIE-Speed-8K). */
	public static final String DEFAULT_V1_MODEL = "ernie_speed";

	/**
	 * Apply the per-version defaults and check the timeouts.
	 * @param apiVersion the API generation
	 * @param baseUrl the API root
	 * @param apiKey the v2 API key
	 * @param model the v2 model id or v1 endpoint name
	 * @param authBaseUrl the v1 OAuth root
	 * @param accessKey the v1 API key
	 * @param secretKey the v1 secret key
	 * @param connectTimeout the connect timeout
	 * @param firstTokenTimeout the first-token timeout
	 * @param totalTimeout the total timeout
	 */
	public ErnieProperties {
		apiVersion = Objects.requireNonNullElse(apiVersion, ApiVersion.V2);
		boolean v1 = apiVersion == ApiVersion.V1;
		baseUrl = orDefault(baseUrl, v1 ? DEFAULT_V1_BASE_URL : DEFAULT_V2_BASE_URL).replaceAll("/+$", "");
		apiKey = (apiKey != null) ? apiKey.strip() : "";
		model = orDefault(model, v1 ? DEFAULT_V1_MODEL : DEFAULT_V2_MODEL);
		authBaseUrl = orDefault(authBaseUrl, DEFAULT_V1_BASE_URL).replaceAll("/+$", "");
		accessKey = (accessKey != null) ? accessKey.strip() : "";
		secretKey = (secretKey != null) ? secretKey.strip() : "";
		connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "connectTimeout");
		firstTokenTimeout = positive(firstTokenTimeout, Duration.ofSeconds(30), "firstTokenTimeout");
		totalTimeout = positive(totalTimeout, Duration.ofSeconds(120), "totalTimeout");
	}

	/**
	 * Settings for v2 with its defaults.
	 * @param baseUrl the API root, {@code null} for the default
	 * @param apiKey the IAM API key
	 * @return the settings
	 */
	public static ErnieProperties v2(String baseUrl, String apiKey) {
		return new ErnieProperties(ApiVersion.V2, baseUrl, apiKey, null, null, null, null, null, null, null);
	}

	/**
	 * Settings for v1 with its defaults.
	 * @param baseUrl the API root and OAuth root, {@code null} for the default
	 * @param accessKey the application's API Key
	 * @param secretKey the application's Secret Key
	 * @return the settings
	 */
	public static ErnieProperties v1(String baseUrl, String accessKey, String secretKey) {
		return new ErnieProperties(ApiVersion.V1, baseUrl, null, null, baseUrl, accessKey, secretKey, null, null, null);
	}

	/**
	 * Whether the credentials of the chosen {@link #apiVersion()} are configured.
	 * @return {@code false} when a call would fail with {@code UNAUTHORIZED}
	 */
	public boolean hasCredentials() {
		return (this.apiVersion == ApiVersion.V1) ? !this.accessKey.isEmpty() && !this.secretKey.isEmpty()
				: !this.apiKey.isEmpty();
	}

	@Override
	public String toString() {
		return "ErnieProperties[apiVersion=" + this.apiVersion + ", baseUrl=" + this.baseUrl + ", apiKey="
				+ mask(this.apiKey) + ", model=" + this.model + ", authBaseUrl=" + this.authBaseUrl + ", accessKey="
				+ mask(this.accessKey) + ", secretKey=" + mask(this.secretKey) + ", connectTimeout="
				+ this.connectTimeout + ", firstTokenTimeout=" + this.firstTokenTimeout + ", totalTimeout="
				+ this.totalTimeout + "]";
	}

	/**
	 * Mask a secret for display: only the last four characters of a long secret are
	 * shown.
	 * @param secret the secret
	 * @return a display-safe form
	 */
	static String mask(String secret) {
		if (secret == null || secret.isEmpty()) {
			return "<not set>";
		}
		return (secret.length() >= 20) ? "****" + secret.substring(secret.length() - 4) : "****";
	}

	private static String orDefault(String value, String defaultValue) {
		return (value == null || value.isBlank()) ? defaultValue : value.strip();
	}

	private static Duration positive(Duration value, Duration defaultValue, String name) {
		Duration result = Objects.requireNonNullElse(value, defaultValue);
		if (result.isNegative() || result.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + result);
		}
		return result;
	}

	/**
	 * The Qianfan API generation; binds from {@code v1}/{@code v2} in any case.
	 */
	public enum ApiVersion {

		/** Classic wenxinworkshop API with an OAuth {@code access_token} in the query. */
		V1,

		/** OpenAI-compatible {@code /v2/chat/completions} with a Bearer IAM API key. */
		V2

	}

}
