package io.chatrelay.provider.model.ernie;

import java.time.Duration;
import java.util.Map;

import io.chatrelay.provider.model.ernie.ErnieProperties.ApiVersion;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ErniePropertiesTest {

	@Test
	void defaultsToV2WithItsBaseUrlAndModel() {
		ErnieProperties properties = new ErnieProperties(null, null, null, null, null, null, null, null, null, null);

		assertThat(properties.apiVersion()).isEqualTo(ApiVersion.V2);
		assertThat(properties.baseUrl()).isEqualTo("https://qianfan.baidubce.com/v2");
		assertThat(properties.model()).isEqualTo("ernie-speed-128k");
		assertThat(properties.authBaseUrl()).isEqualTo("https://aip.baidubce.com");
		assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.totalTimeout()).isEqualTo(Duration.ofSeconds(120));
		assertThat(properties.hasCredentials()).isFalse();
	}

	@Test
	void v1DefaultsToTheClassicHostAndTheErnieSpeedEndpoint() {
		ErnieProperties properties = new ErnieProperties(ApiVersion.V1, null, null, " ", null, "ak", "sk", null, null,
				null);

		assertThat(properties.baseUrl()).isEqualTo("https://aip.baidubce.com");
		assertThat(properties.model()).isEqualTo("ernie_speed");
		assertThat(properties.hasCredentials()).isTrue();
	}

	@Test
	void needsTheCredentialsOfTheChosenVersion() {
		assertThat(ErnieProperties.v2(null, "bce-v3/x").hasCredentials()).isTrue();
		assertThat(new ErnieProperties(ApiVersion.V2, null, null, null, null, "ak", "sk", null, null, null)
			.hasCredentials()).isFalse();
		assertThat(ErnieProperties.v1(null, "ak", "").hasCredentials()).isFalse();
		assertThat(new ErnieProperties(ApiVersion.V1, null, "bce-v3/x", null, null, null, null, null, null, null)
			.hasCredentials()).isFalse();
	}

	@Test
	void stripsTrailingSlashes() {
		assertThat(ErnieProperties.v2("http://localhost:1/v2/", "k").baseUrl()).isEqualTo("http://localhost:1/v2");
	}

	@Test
	void rejectsNonPositiveTimeouts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ErnieProperties(null, null, null, null, null, null, null, null, Duration.ZERO, null));
	}

	@Test
	void masksEverySecretInToString() {
		ErnieProperties properties = new ErnieProperties(ApiVersion.V1, null, "bce-v3/ALTAK-abc/0123456789abcdef", null,
				null, "access-key-0123456789", "secret-key-0123456789xyz", null, null, null);

		assertThat(properties.toString()).doesNotContain("ALTAK")
			.doesNotContain("access-key")
			.doesNotContain("secret-key")
			.contains("secretKey=****9xyz")
			.contains("apiVersion=V1");
	}

	@Test
	void bindsFromConfigurationInAnyCase() {
		Map<String, String> source = Map.of("chat.provider.model.ernie.api-version", "v1",
				"chat.provider.model.ernie.access-key", "ak", "chat.provider.model.ernie.secret-key", "sk",
				"chat.provider.model.ernie.model", "completions_pro", "chat.provider.model.ernie.first-token-timeout",
				"10s");

		ErnieProperties properties = new Binder(new MapConfigurationPropertySource(source))
			.bind("chat.provider.model.ernie", ErnieProperties.class)
			.get();

		assertThat(properties.apiVersion()).isEqualTo(ApiVersion.V1);
		assertThat(properties.model()).isEqualTo("completions_pro");
		assertThat(properties.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.hasCredentials()).isTrue();
	}

}
