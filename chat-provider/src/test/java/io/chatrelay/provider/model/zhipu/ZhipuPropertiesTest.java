package io.chatrelay.provider.model.zhipu;

import java.time.Duration;

import io.chatrelay.provider.model.zhipu.ZhipuProperties.AuthMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ZhipuPropertiesTest {

	private static final String API_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0.SeCrEt0123456789";

	@Test
	void appliesDefaults() {
		ZhipuProperties properties = new ZhipuProperties(null, null, null, null, null, null, null, null);

		assertThat(properties.baseUrl()).isEqualTo("https://open.bigmodel.cn/api/paas/v4");
		assertThat(properties.apiKey()).isEmpty();
		assertThat(properties.hasApiKey()).isFalse();
		assertThat(properties.model()).isEqualTo("glm-4-flash");
		assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.totalTimeout()).isEqualTo(Duration.ofSeconds(120));
		assertThat(properties.authMode()).isEqualTo(AuthMode.AUTO);
		assertThat(properties.tokenTtl()).isEqualTo(Duration.ofSeconds(210));
		assertThat(properties.tokenCacheTime()).isEqualTo(Duration.ofSeconds(180));
	}

	@Test
	void autoModeSignsIdSecretKeysOnly() {
		assertThat(properties(API_KEY, AuthMode.AUTO).usesJwt()).isTrue();
		assertThat(properties("plain-key", AuthMode.AUTO).usesJwt()).isFalse();
		assertThat(properties(API_KEY, AuthMode.BEARER).usesJwt()).isFalse();
		assertThat(properties("plain-key", AuthMode.JWT).usesJwt()).isTrue();
	}

	@Test
	void rejectsTokenLifetimeNotLongerThanTheRefreshMargin() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ZhipuProperties(null, API_KEY, null, null, null, null,
				null, ZhipuProperties.TOKEN_REFRESH_MARGIN));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ZhipuProperties(null, API_KEY, null, Duration.ZERO, null, null, null, null));
	}

	@Test
	void toStringMasksTheKey() {
		String text = properties(API_KEY, AuthMode.AUTO).toString();

		assertThat(text).contains("apiKey=0f1e****")
			.doesNotContain("SeCrEt")
			.doesNotContain("0f1e2d3c4b5a")
			.contains("glm-4-flash");
		assertThat(properties("short", AuthMode.AUTO).toString()).contains("apiKey=****").doesNotContain("short");
		assertThat(new ZhipuProperties(null, " ", null, null, null, null, null, null).toString())
			.contains("apiKey=<not set>");
	}

	private static ZhipuProperties properties(String apiKey, AuthMode authMode) {
		return new ZhipuProperties(null, apiKey, null, null, null, null, authMode, null);
	}

}
