package io.chatrelay.client.channel.wecombot;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.intake.ChannelSwitch;
import io.chatrelay.client.intake.MessageIntake;
import io.chatrelay.client.tenant.TenantProperties;
import redis.clients.jedis.UnifiedJedis;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the WeCom 智能机器人 channel (intake and refreshes), its stream store and its
 * responder (the inbox workers' side) when its credentials are set (see
 * {@link WeComBotEnabled}); without them {@code /callback/wecom-bot} answers 404.
 */
@Configuration(proxyBeanMethods = false)
class WeComBotChannelConfiguration {

	@Bean
	@Conditional(WeComBotEnabled.class)
	WeComBotStreams weComBotStreams(WeComBotProperties properties, UnifiedJedis jedis, TenantProperties client) {
		return new WeComBotStreams(jedis, client.tenantId(), properties.streamTtl());
	}

	@Bean
	@Conditional(WeComBotEnabled.class)
	WeComBotResponder weComBotResponder(WeComBotStreams streams, WeComBotProperties properties,
			ConversationService conversations) {
		return new WeComBotResponder(streams, conversations::askStreaming, properties.streamDeadline(),
				conversations.deadline(), Clock.systemUTC());
	}

	@Bean
	@Conditional(WeComBotEnabled.class)
	WeComBotChannel weComBotChannel(WeComBotProperties properties, ObjectMapper json, WeComBotStreams streams,
			MessageIntake intake) {
		return new WeComBotChannel(properties, json, streams, intake, Clock.systemUTC());
	}

	/**
	 * True when the bot's token and EncodingAESKey are set.
	 */
	static final class WeComBotEnabled extends ChannelSwitch {

		WeComBotEnabled() {
			super("chat.client.channel.wecom-bot", "token", "encoding-aes-key");
		}

	}

}
