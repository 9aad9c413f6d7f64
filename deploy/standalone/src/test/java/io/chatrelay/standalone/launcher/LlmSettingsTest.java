package io.chatrelay.standalone.launcher;

import java.time.Duration;
import java.util.Map;

import io.chatrelay.standalone.standin.FailureMode;
import io.chatrelay.standalone.standin.VendorStandIn;
import io.chatrelay.standalone.standin.StandInHttp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LlmSettingsTest {

	@Test
	void pointsEveryVendorAtTheStandInByDefault() throws Exception {
		LlmSettings llm = LlmSettings.parse(Map.of());

		assertThat(llm.usesStandIn()).isTrue();
		assertThat(llm.ernieApiVersion()).isEqualTo("v1");
		try (VendorStandIn standIn = llm.standIn(0, Duration.ZERO).start()) {
			Map<String, String> properties = llm.providerProperties(standIn);

			assertThat(properties).containsEntry("chat.provider.model.zhipu.base-url", standIn.zhipuBaseUrl())
				.containsEntry("chat.provider.model.zhipu.api-key", "standin-id.standin-secret-0123456789")
				.containsEntry("chat.provider.model.ernie.api-version", "v1")
				.containsEntry("chat.provider.model.ernie.base-url", standIn.qianfanV1BaseUrl())
				.containsEntry("chat.provider.model.ernie.auth-base-url", standIn.qianfanV1BaseUrl())
				.containsEntry("chat.provider.model.ernie.access-key", "standin-ak")
				.containsEntry("chat.provider.model.ernie.secret-key", "standin-sk")
				.containsEntry("chat.provider.model.ernie.model", "ernie-speed-128k");
			assertThat(standIn.zhipuBaseUrl()).isEqualTo("http://127.0.0.1:" + standIn.port() + "/api/paas/v4");
			assertThat(standIn.qianfanV1BaseUrl()).isEqualTo("http://127.0.0.1:" + standIn.port());
			assertThat(standIn.qianfanV2BaseUrl()).isEqualTo("http://127.0.0.1:" + standIn.port() + "/v2");
			String tokenUrl = standIn.qianfanV1BaseUrl() + "/oauth/2.0/token?grant_type=client_credentials";
			assertThat(StandInHttp.post(tokenUrl + "&client_id=standin-ak&client_secret=standin-sk", "").statusCode())
				.isEqualTo(200);
			assertThat(StandInHttp.post(tokenUrl + "&client_id=other&client_secret=standin-sk", "").statusCode())
				.isEqualTo(401);
		}
	}

	@Test
	void sendsAVendorWithARealKeyToItsRealEndpointAndKeepsTheOthersOnTheStandIn() throws Exception {
		LlmSettings llm = LlmSettings.parse(Map.of("ZHIPU_API_KEY", "0123456789abcdef.0123456789abcdef"));

		assertThat(llm.zhipuOnStandIn()).isFalse();
		assertThat(llm.usesStandIn()).isTrue();
		try (VendorStandIn standIn = llm.standIn(0, Duration.ZERO).start()) {
			assertThat(llm.providerProperties(standIn))
				.containsEntry("chat.provider.model.zhipu.base-url", "https://open.bigmodel.cn/api/paas/v4")
				.containsEntry("chat.provider.model.zhipu.api-key", "0123456789abcdef.0123456789abcdef")
				.containsEntry("chat.provider.model.ernie.base-url", standIn.qianfanV1BaseUrl());
			assertThat(String.join("\n", llm.describe(standIn))).contains("****cdef").doesNotContain("0123456789");
		}
		assertThat(llm.toString()).doesNotContain("0123456789");
	}

	@Test
	void usesQianfanV2WithAnApiKeyAndV1WithAkSk() {
		LlmSettings v2 = LlmSettings
			.parse(Map.of("ZHIPU_API_KEY", "z", "QIANFAN_API_KEY", "bce-v3/ALTAK-abc/0123456789abcdef"));
		LlmSettings v1 = LlmSettings.parse(Map.of("ZHIPU_API_KEY", "z", "QIANFAN_ACCESS_KEY", "ak-0123456789",
				"QIANFAN_SECRET_KEY", "sk-0123456789", "QIANFAN_BASE_URL", "https://proxy.example/"));

		assertThat(v2.ernieApiVersion()).isEqualTo("v2");
		assertThat(v2.providerProperties(null)).doesNotContainKey("chat.provider.model.ernie.access-key")
			.containsEntry("chat.provider.model.ernie.base-url", "https://qianfan.baidubce.com/v2")
			.containsEntry("chat.provider.model.ernie.api-key", "bce-v3/ALTAK-abc/0123456789abcdef");
		assertThat(v1.ernieApiVersion()).isEqualTo("v1");
		assertThat(v1.providerProperties(null))
			.containsEntry("chat.provider.model.ernie.base-url", "https://proxy.example")
			.containsEntry("chat.provider.model.ernie.auth-base-url", "https://aip.baidubce.com")
			.containsEntry("chat.provider.model.ernie.access-key", "ak-0123456789")
			.containsEntry("chat.provider.model.ernie.secret-key", "sk-0123456789");
	}

	@Test
	void needsNoStandInWhenEveryVendorHasAKey() {
		LlmSettings llm = LlmSettings
			.parse(Map.of("OPENAI_API_KEY", "sk-1", "ZHIPU_API_KEY", "z", "QIANFAN_API_KEY", "bce-v3/q"));

		assertThat(llm.usesStandIn()).isFalse();
	}

	@Test
	void readsStandInFailuresAndSlowDelayFromTheEnvironment() {
		LlmSettings llm = LlmSettings.parse(
				Map.of("STANDIN_FAIL_OPENAI", "503", "STANDIN_FAIL_QIANFAN", "stream-cut", "STANDIN_SLOW_MS", "750"));

		assertThat(llm.standInFailures()).containsExactly(Map.entry("openai", FailureMode.UNAVAILABLE),
				Map.entry("qianfan", FailureMode.STREAM_CUT));
		assertThat(llm.standInSlowDelay()).isEqualTo(Duration.ofMillis(750));
	}

	@Test
	void namesTheVariableThatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> LlmSettings.parse(Map.of("STANDIN_FAIL_ZHIPU", "404")))
			.withMessageContaining("STANDIN_FAIL_ZHIPU");
		assertThatIllegalArgumentException().isThrownBy(() -> LlmSettings.parse(Map.of("QIANFAN_ACCESS_KEY", "ak")))
			.withMessageContaining("QIANFAN_SECRET_KEY");
		assertThatIllegalArgumentException().isThrownBy(() -> LlmSettings.parse(Map.of("STANDIN_SLOW_MS", "-1")))
			.withMessageContaining("STANDIN_SLOW_MS");
	}

}
