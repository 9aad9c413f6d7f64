package io.chatrelay.client.channel;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.system.ClientProperties;
import io.chatrelay.client.system.RedisWork;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.JedisPooled;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires what every platform channel shares: the body limit on {@code /callback/*}, the
 * HTTP client for the platforms' APIs, the answerer (which replies through each channel's
 * {@link ReplySender}, or the channel's own {@link ChannelResponder}) and the dispatcher
 * into the durable inbox.
 */
@Configuration(proxyBeanMethods = false)
class ChannelConfiguration {

	/** How long an answer not yet wholly delivered is kept for a later attempt. */
	static final Duration PENDING_REPLY_TTL = Duration.ofDays(1);

	@Bean
	FilterRegistrationBean<BodyLimitFilter> callbackBodyLimitFilter(ChannelProperties properties) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(properties.maxBodyBytes()));
		registration.addUrlPatterns("/callback/*");
		return registration;
	}

	@Bean
	HttpClient platformHttpClient(ChannelProperties properties) {
		return HttpClient.newBuilder()
			.connectTimeout(properties.apiTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	@Bean
	PendingReplies pendingReplies(JedisPooled jedis, ClientProperties client) {
		return new RedisPendingReplies(jedis, client.tenantId(), PENDING_REPLY_TTL);
	}

	@Bean
	MessageAnswerer messageAnswerer(ConversationService conversations, List<ReplySender> senders,
			PendingReplies pending, ObjectProvider<ChannelResponder> responders, ChannelProperties properties,
			RedisWork work, MeterRegistry meters) {
		List<ChannelResponder> all = new ArrayList<>(responders.orderedStream().toList());
		senders.forEach((sender) -> all.add(new SendingResponder(conversations, sender, pending,
				properties.sendAttempts(), properties.sendBackoff(), work.executor())));
		return new MessageAnswerer(all, meters);
	}

	@Bean
	ChannelDispatcher channelDispatcher(ChannelInbox inbox, MessageAnswerer answerer, MeterRegistry meters) {
		return new ChannelDispatcher(inbox, answerer, meters);
	}

}
