package io.chatrelay.client.dispatch;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxPressure;
import io.chatrelay.client.inbox.InboxProperties;
import io.chatrelay.client.platform.PlatformProperties;
import io.chatrelay.client.redis.RedisWork;
import io.chatrelay.client.tenant.TenantProperties;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.UnifiedJedis;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the answering of accepted messages: the inbox worker, and the answerer that
 * replies through each channel's {@link ReplySender} (or the channel's own
 * {@link ChannelResponder}).
 */
@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

	/** How long an answer not yet wholly delivered is kept for a later attempt. */
	static final Duration PENDING_REPLY_TTL = Duration.ofDays(1);

	@Bean
	PendingReplies pendingReplies(UnifiedJedis jedis, TenantProperties tenant) {
		return new RedisPendingReplies(jedis, tenant.tenantId(), PENDING_REPLY_TTL);
	}

	@Bean
	MessageAnswerer messageAnswerer(ConversationService conversations, List<ReplySender> senders,
			PendingReplies pending, ObjectProvider<ChannelResponder> responders, PlatformProperties properties,
			RedisWork work, MeterRegistry meters) {
		List<ChannelResponder> all = new ArrayList<>(responders.orderedStream().toList());
		senders.forEach((sender) -> all.add(new SendingResponder(conversations, sender, pending,
				properties.sendAttempts(), properties.sendBackoff(), work.executor())));
		return new MessageAnswerer(all, meters);
	}

	@Bean
	InboxWorker inboxWorker(Inbox inbox, MessageAnswerer answerer, InboxProperties properties, RedisWork work,
			InboxPressure pressure) {
		String consumer = ManagementFactory.getRuntimeMXBean().getName() + "-"
				+ UUID.randomUUID().toString().substring(0, 8);
		return new InboxWorker(inbox, answerer, properties, consumer, work.executor(), pressure);
	}

}
