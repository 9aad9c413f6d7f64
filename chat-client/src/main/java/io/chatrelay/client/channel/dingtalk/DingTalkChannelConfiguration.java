package io.chatrelay.client.channel.dingtalk;

import java.net.http.HttpClient;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.intake.ChannelSwitch;
import io.chatrelay.client.platform.PlatformProperties;
import io.chatrelay.client.tenant.TenantProperties;
import redis.clients.jedis.UnifiedJedis;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the DingTalk channel when its credentials are set; without it
 * {@code /callback/dingtalk} answers 404.
 */
@Configuration(proxyBeanMethods = false)
class DingTalkChannelConfiguration {

	@Bean
	@Conditional(DingTalkEnabled.class)
	DingTalkChannel dingTalkChannel(DingTalkProperties properties, HttpClient platformHttpClient,
			PlatformProperties channels, ObjectMapper json, UnifiedJedis jedis, TenantProperties tenant) {
		Clock clock = Clock.systemUTC();
		DingTalkApi api = new DingTalkApi(platformHttpClient, properties.apiBaseUrl(), properties.appKey(),
				properties.appSecret(), properties.robotCode(), channels.apiTimeout(), clock);
		DingTalkReplayGuard replays = new DingTalkReplayGuard(jedis, tenant.keyPrefix(), properties.replayWindow());
		return new DingTalkChannel(properties, api, replays, json, clock);
	}

	/**
	 * True when every DingTalk credential is set.
	 */
	static final class DingTalkEnabled extends ChannelSwitch {

		DingTalkEnabled() {
			super("chat.client.channel.dingtalk", "app-key", "app-secret", "robot-code");
		}

	}

}
