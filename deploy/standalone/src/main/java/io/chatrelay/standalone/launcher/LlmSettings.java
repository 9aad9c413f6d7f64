package io.chatrelay.standalone.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.chatrelay.standalone.standin.FailureMode;
import io.chatrelay.standalone.standin.StandInVendor;
import io.chatrelay.standalone.standin.VendorStandIn;

/**
 * Where the providers' three LLM vendors point, read from the environment: each vendor
 * with a real key goes to the real endpoint, every other one to the stand-in.
 *
 * <p>
 * OpenAI: {@code OPENAI_API_KEY} (+ {@code OPENAI_BASE_URL}). Zhipu:
 * {@code ZHIPU_API_KEY} (+ {@code ZHIPU_BASE_URL}). Qianfan: {@code QIANFAN_API_KEY}
 * (v2), or {@code QIANFAN_ACCESS_KEY} and {@code QIANFAN_SECRET_KEY} (v1), with
 * {@code QIANFAN_BASE_URL} optional; v2 wins when both are set. On the stand-in, Zhipu
 * gets an {@code id.secret} key so the provider signs JWTs, and ERNIE runs v1 with AK/SK
 * so the token flow runs. {@code STANDIN_FAIL_<VENDOR>} starts a stand-in vendor failing
 * ({@link FailureMode}), {@code STANDIN_SLOW_MS} sets the pause of {@code slow}.
 *
 * @param openAiApiKey the real OpenAI key, or {@code null} for the stand-in
 * @param openAiBaseUrl the real OpenAI endpoint
 * @param zhipuApiKey the real Zhipu key, or {@code null} for the stand-in
 * @param zhipuBaseUrl the real Zhipu endpoint
 * @param qianfanApiKey the real Qianfan v2 key, or {@code null}
 * @param qianfanAccessKey the real Qianfan v1 API key (AK), or {@code null}
 * @param qianfanSecretKey the real Qianfan v1 secret key (SK), or {@code null}
 * @param qianfanBaseUrl the real Qianfan endpoint for the version in use
 * @param standInFailures failures the stand-in starts with, by vendor
 * @param standInSlowDelay the pause of {@link FailureMode#SLOW}
 */
record LlmSettings(String openAiApiKey, String openAiBaseUrl, String zhipuApiKey, String zhipuBaseUrl,
		String qianfanApiKey, String qianfanAccessKey, String qianfanSecretKey, String qianfanBaseUrl,
		Map<String, FailureMode> standInFailures, Duration standInSlowDelay) {

	static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

	static final String DEFAULT_ZHIPU_BASE_URL = "https://open.bigmodel.cn/api/paas/v4";

	static final String DEFAULT_QIANFAN_V2_BASE_URL = "https://qianfan.baidubce.com/v2";

	static final String DEFAULT_QIANFAN_V1_BASE_URL = "https://aip.baidubce.com";

	/** Any non-empty key satisfies the OpenAI stand-in. */
	static final String STAND_IN_OPENAI_KEY = "standin-key";

	/**
	 * An {@code id.secret} key, so the provider's JWT signing runs against the stand-in.
	 */
	static final String STAND_IN_ZHIPU_KEY = "standin-id.standin-secret-0123456789";

	static final String STAND_IN_QIANFAN_ACCESS_KEY = "standin-ak";

	static final String STAND_IN_QIANFAN_SECRET_KEY = "standin-sk";

	/** A v1 endpoint name that is also a v2 model name. */
	static final String STAND_IN_ERNIE_MODEL = "ernie-speed-128k";

	private static final String ZHIPU = "chat.provider.model.zhipu.";

	private static final String ERNIE = "chat.provider.model.ernie.";

	LlmSettings {
		Objects.requireNonNull(standInSlowDelay, "standInSlowDelay");
		standInFailures = Collections.unmodifiableMap(new LinkedHashMap<>(standInFailures));
	}

	/**
	 * Read the settings.
	 * @param env the environment
	 * @return the settings
	 * @throws IllegalArgumentException naming the variable that is wrong
	 */
	static LlmSettings parse(Map<String, String> env) {
		String accessKey = LauncherSettings.blankToNull(env.get("QIANFAN_ACCESS_KEY"));
		String secretKey = LauncherSettings.blankToNull(env.get("QIANFAN_SECRET_KEY"));
		if ((accessKey == null) != (secretKey == null)) {
			throw new IllegalArgumentException("Set both QIANFAN_ACCESS_KEY and QIANFAN_SECRET_KEY (Qianfan v1), or"
					+ " neither (QIANFAN_API_KEY for v2, or the stand-in)");
		}
		String qianfanApiKey = LauncherSettings.blankToNull(env.get("QIANFAN_API_KEY"));
		Map<String, FailureMode> failures = new LinkedHashMap<>();
		for (String vendor : VendorStandIn.VENDORS) {
			String name = failureVariable(vendor);
			String value = LauncherSettings.blankToNull(env.get(name));
			if (value != null) {
				try {
					failures.put(vendor, FailureMode.parse(value));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(name + ": " + ex.getMessage());
				}
			}
		}
		long slowMs = LauncherSettings.intValue(env, "STANDIN_SLOW_MS",
				(int) VendorStandIn.DEFAULT_SLOW_DELAY.toMillis());
		if (slowMs < 0) {
			throw new IllegalArgumentException("STANDIN_SLOW_MS must not be negative");
		}
		return new LlmSettings(LauncherSettings.blankToNull(env.get("OPENAI_API_KEY")),
				url(env, "OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL),
				LauncherSettings.blankToNull(env.get("ZHIPU_API_KEY")),
				url(env, "ZHIPU_BASE_URL", DEFAULT_ZHIPU_BASE_URL), qianfanApiKey, accessKey, secretKey,
				url(env, "QIANFAN_BASE_URL",
						(qianfanApiKey != null) ? DEFAULT_QIANFAN_V2_BASE_URL : DEFAULT_QIANFAN_V1_BASE_URL),
				failures, Duration.ofMillis(slowMs));
	}

	boolean openAiOnStandIn() {
		return this.openAiApiKey == null;
	}

	boolean zhipuOnStandIn() {
		return this.zhipuApiKey == null;
	}

	boolean qianfanOnStandIn() {
		return this.qianfanApiKey == null && this.qianfanAccessKey == null;
	}

	/**
	 * Whether a vendor is served by the stand-in.
	 * @param vendor the name of a {@link StandInVendor}
	 * @return {@code true} unless the vendor has a real key
	 * @throws IllegalArgumentException for a vendor the stand-in does not serve
	 */
	boolean onStandIn(String vendor) {
		return switch (StandInVendor.of(vendor)) {
			case OPENAI -> openAiOnStandIn();
			case ZHIPU -> zhipuOnStandIn();
			case QIANFAN -> qianfanOnStandIn();
			// A vendor without a real-endpoint setting here can only be the stand-in.
			default -> true;
		};
	}

	/**
	 * The environment variable that starts a stand-in vendor failing.
	 * @param vendor the name of a {@link StandInVendor}
	 * @return e.g. {@code STANDIN_FAIL_OPENAI}
	 */
	static String failureVariable(String vendor) {
		return "STANDIN_FAIL_" + vendor.toUpperCase(Locale.ROOT);
	}

	/** Whether any vendor needs the stand-in. */
	boolean usesStandIn() {
		return openAiOnStandIn() || zhipuOnStandIn() || qianfanOnStandIn();
	}

	/**
	 * The ERNIE API the providers use: {@code v2} with a real v2 key, else {@code v1}.
	 */
	String ernieApiVersion() {
		return (this.qianfanApiKey != null) ? "v2" : "v1";
	}

	/**
	 * The stand-in, configured for the vendors that use it.
	 * @param port the port
	 * @param tokenDelay the pause per streamed token
	 * @return a builder to start
	 */
	VendorStandIn.Builder standIn(int port, Duration tokenDelay) {
		VendorStandIn.Builder builder = VendorStandIn.builder()
			.port(port)
			.tokenDelay(tokenDelay)
			.slowDelay(this.standInSlowDelay)
			.qianfanCredentials(STAND_IN_QIANFAN_ACCESS_KEY, STAND_IN_QIANFAN_SECRET_KEY);
		this.standInFailures.forEach(builder::failure);
		return builder;
	}

	/**
	 * The provider properties of Zhipu and ERNIE (OpenAI's come with the node contract).
	 * @param standIn the running stand-in, or {@code null} if no vendor uses it
	 * @return property name to value; keys are masked when logged
	 */
	Map<String, String> providerProperties(VendorStandIn standIn) {
		Map<String, String> properties = new LinkedHashMap<>();
		if (zhipuOnStandIn()) {
			properties.put(ZHIPU + "base-url", standIn.zhipuBaseUrl());
			properties.put(ZHIPU + "api-key", STAND_IN_ZHIPU_KEY);
		}
		else {
			properties.put(ZHIPU + "base-url", this.zhipuBaseUrl);
			properties.put(ZHIPU + "api-key", this.zhipuApiKey);
		}
		properties.put(ERNIE + "api-version", ernieApiVersion());
		if (qianfanOnStandIn()) {
			properties.put(ERNIE + "base-url", standIn.qianfanV1BaseUrl());
			properties.put(ERNIE + "auth-base-url", standIn.qianfanV1BaseUrl());
			properties.put(ERNIE + "access-key", STAND_IN_QIANFAN_ACCESS_KEY);
			properties.put(ERNIE + "secret-key", STAND_IN_QIANFAN_SECRET_KEY);
			properties.put(ERNIE + "model", STAND_IN_ERNIE_MODEL);
		}
		else if (this.qianfanApiKey != null) {
			properties.put(ERNIE + "base-url", this.qianfanBaseUrl);
			properties.put(ERNIE + "api-key", this.qianfanApiKey);
		}
		else {
			properties.put(ERNIE + "base-url", this.qianfanBaseUrl);
			properties.put(ERNIE + "auth-base-url", DEFAULT_QIANFAN_V1_BASE_URL);
			properties.put(ERNIE + "access-key", this.qianfanAccessKey);
			properties.put(ERNIE + "secret-key", this.qianfanSecretKey);
		}
		return properties;
	}

	/**
	 * One line per vendor for the banner and the log, keys masked.
	 * @param standIn the running stand-in, or {@code null} if no vendor uses it
	 * @return e.g. {@code zhipu   → stand-in http://127.0.0.1:18000/api/paas/v4}
	 */
	List<String> describe(VendorStandIn standIn) {
		List<String> lines = new ArrayList<>();
		lines.add("openai  → " + (openAiOnStandIn() ? "stand-in " + standIn.baseUrl()
				: this.openAiBaseUrl + " (key " + Secrets.mask(this.openAiApiKey) + ")"));
		lines.add("zhipu   → " + (zhipuOnStandIn() ? "stand-in " + standIn.zhipuBaseUrl()
				: this.zhipuBaseUrl + " (key " + Secrets.mask(this.zhipuApiKey) + ")"));
		String ernie;
		if (qianfanOnStandIn()) {
			ernie = "stand-in " + standIn.qianfanV1BaseUrl() + " (Qianfan v1, AK/SK, endpoint " + STAND_IN_ERNIE_MODEL
					+ ")";
		}
		else if (this.qianfanApiKey != null) {
			ernie = this.qianfanBaseUrl + " (Qianfan v2, key " + Secrets.mask(this.qianfanApiKey) + ")";
		}
		else {
			ernie = this.qianfanBaseUrl + " (Qianfan v1, AK " + Secrets.mask(this.qianfanAccessKey) + ")";
		}
		lines.add("ernie   → " + ernie);
		return lines;
	}

	@Override
	public String toString() {
		return "openai="
				+ (openAiOnStandIn() ? "stand-in" : this.openAiBaseUrl + " key " + Secrets.mask(this.openAiApiKey))
				+ ", zhipu="
				+ (zhipuOnStandIn() ? "stand-in" : this.zhipuBaseUrl + " key " + Secrets.mask(this.zhipuApiKey))
				+ ", ernie=" + ernieApiVersion() + " " + (qianfanOnStandIn() ? "stand-in" : this.qianfanBaseUrl)
				+ (this.standInFailures.isEmpty() ? "" : ", stand-in failures " + failureNames());
	}

	private Map<String, String> failureNames() {
		Map<String, String> names = new LinkedHashMap<>();
		this.standInFailures.forEach((vendor, mode) -> names.put(vendor, mode.wireName()));
		return names;
	}

	private static String url(Map<String, String> env, String name, String defaultUrl) {
		return LauncherSettings.stripTrailingSlash(LauncherSettings.text(env, name, defaultUrl));
	}

}
