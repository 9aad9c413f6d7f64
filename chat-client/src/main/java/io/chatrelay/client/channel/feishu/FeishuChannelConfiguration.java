package io.chatrelay.client.channel.feishu;

import java.net.http.HttpClient;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.intake.ChannelSwitch;
import io.chatrelay.client.platform.PlatformProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the Feishu channel when its credentials are set, the Encrypt Key included;
 * without them {@code /callback/feishu} answers 404.
 */
@Configuration(proxyBeanMethods = false)
class FeishuChannelConfiguration {

	@Bean
	@Conditional(FeishuEnabled.class)
	FeishuChannel feishuChannel(FeishuProperties properties, HttpClient platformHttpClient, PlatformProperties channels,
			ObjectMapper json) {
		Clock clock = Clock.systemUTC();
		FeishuApi api = new FeishuApi(platformHttpClient, properties.apiBaseUrl(), properties.appId(),
				properties.appSecret(), channels.apiTimeout(), clock);
		return new FeishuChannel(properties, api, json, clock);
	}

	/**
	 * True when the app id, the app secret and the Encrypt Key are set. A Verification
	 * Token alone is not enough: without an Encrypt Key Feishu neither signs nor encrypts
	 * events, and the token travels in every body.
	 */
	static final class FeishuEnabled extends ChannelSwitch {

		FeishuEnabled() {
			super("chat.client.channel.feishu", "app-id", "app-secret", "encrypt-key");
		}

	}

}
