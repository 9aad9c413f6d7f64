package io.chatrelay.client.channel.feishu;

import java.net.http.HttpClient;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.platform.PlatformProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Creates the Feishu channel when its credentials are set; without it
 * {@code /callback/feishu} answers 404.
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
	 * True when the app id and secret are set and a Verification Token or an Encrypt Key.
	 */
	static final class FeishuEnabled implements Condition {

		private static final String PREFIX = "chat.client.channel.feishu.";

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			return set(environment, "app-id") && set(environment, "app-secret")
					&& (set(environment, "verification-token") || set(environment, "encrypt-key"));
		}

		private static boolean set(Environment environment, String name) {
			return !FeishuProperties.blank(environment.getProperty(PREFIX + name));
		}

	}

}
