package io.chatrelay.client.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.api.ChatService;
import io.chatrelay.client.quota.Quotas;
import io.chatrelay.client.redis.RedisWork;
import io.chatrelay.client.tenant.TenantProperties;
import redis.clients.jedis.UnifiedJedis;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires conversation handling.
 */
@Configuration(proxyBeanMethods = false)
class ConversationConfiguration {

	@Bean
	ConversationStore conversationStore(UnifiedJedis jedis, ObjectMapper json, TenantProperties tenant,
			ConversationProperties conversation) {
		return new ConversationStore(jedis, json, tenant.tenantId(), conversation.ttl(), conversation.maxTurns());
	}

	@Bean
	ConversationService conversationService(ChatService chatService, ConversationStore store, TenantProperties tenant,
			ConversationProperties conversation, RedisWork work, ObjectProvider<Quotas> quotas) {
		// No Quotas bean while chat.client.quota.enabled=false: then none are checked.
		return new ConversationService(chatService, store,
				new ContextWindow(conversation.systemPrompt(), conversation.maxTurns()), tenant.tenantId(),
				java.time.Duration.ofMillis(ConversationService.CHAT_TIMEOUT_MILLIS + 5_000L), work.executor(),
				quotas.getIfAvailable());
	}

}
