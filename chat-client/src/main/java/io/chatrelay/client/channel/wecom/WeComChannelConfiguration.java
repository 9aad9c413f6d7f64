package io.chatrelay.client.channel.wecom;

import java.net.http.HttpClient;
import java.time.Clock;

import io.chatrelay.client.intake.ChannelSwitch;
import io.chatrelay.client.platform.PlatformProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the WeCom app channel when its credentials are set (see {@link WeComEnabled});
 * without it {@code /callback/wecom} answers 404.
 */
@Configuration(proxyBeanMethods = false)
class WeComChannelConfiguration {

	@Bean
	@Conditional(WeComEnabled.class)
	WeComChannel weComChannel(WeComProperties properties, HttpClient platformHttpClient, PlatformProperties channels) {
		Clock clock = Clock.systemUTC();
		WeComApi api = new WeComApi(platformHttpClient, properties.apiBaseUrl(), properties.corpId(),
				properties.secret(), channels.apiTimeout(), clock);
		return new WeComChannel(properties, api, clock);
	}

	/**
	 * True when every WeCom app credential is set.
	 */
	static final class WeComEnabled extends ChannelSwitch {

		WeComEnabled() {
			super("chat.client.channel.wecom", "corp-id", "agent-id", "secret", "token", "encoding-aes-key");
		}

	}

}
