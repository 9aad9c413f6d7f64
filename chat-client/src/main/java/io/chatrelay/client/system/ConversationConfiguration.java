package io.chatrelay.client.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.api.ChatService;
import io.chatrelay.client.conversation.ContextWindow;
import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.conversation.ConversationStore;
import redis.clients.jedis.JedisPooled;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires conversation handling.
 */
@Configuration(proxyBeanMethods = false)
class ConversationConfiguration {

	@Bean
	ConversationStore conversationStore(JedisPooled jedis, ObjectMapper json, ClientProperties properties) {
		return new ConversationStore(jedis, json, properties.tenantId(), properties.conversation().ttl(),
				properties.conversation().maxTurns());
	}

	@Bean
	ConversationService conversationService(ChatService chatService, ConversationStore store,
			ClientProperties properties, RedisWork work) {
		ClientProperties.Conversation conversation = properties.conversation();
		return new ConversationService(chatService, store,
				new ContextWindow(conversation.systemPrompt(), conversation.maxTurns()), properties.tenantId(),
				java.time.Duration.ofMillis(DubboConfiguration.CHAT_TIMEOUT_MILLIS + 5_000L), work.executor());
	}

}
