package io.chatrelay.client.channel.wecombot;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.channel.ChannelSwitch;
import io.chatrelay.client.channel.Deduplicator;
import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.system.ClientProperties;
import redis.clients.jedis.JedisPooled;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the WeCom 智能机器人 channel when its credentials are set (see
 * {@link WeComBotEnabled}); without it {@code /callback/wecom-bot} answers 404.
 */
@Configuration(proxyBeanMethods = false)
class WeComBotChannelConfiguration {

	@Bean
	@Conditional(WeComBotEnabled.class)
	WeComBotChannel weComBotChannel(WeComBotProperties properties, ObjectMapper json, Deduplicator deduplicator,
			JedisPooled jedis, ClientProperties client, ConversationService conversations) {
		WeComBotStreams streams = new WeComBotStreams(jedis, client.tenantId(), properties.streamTtl());
		return new WeComBotChannel(properties, json, deduplicator, streams, conversations, Clock.systemUTC());
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
