package io.chatrelay.client.channel;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.system.ClientProperties;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.JedisPooled;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires what every platform channel shares: the body limit on {@code /callback/*}, the
 * deduplicator, the HTTP client for the platforms' APIs, and the dispatcher that answers
 * accepted messages through each channel's {@link ReplySender}.
 */
@Configuration(proxyBeanMethods = false)
class ChannelConfiguration {

	@Bean
	FilterRegistrationBean<BodyLimitFilter> callbackBodyLimitFilter(ChannelProperties properties) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(properties.maxBodyBytes()));
		registration.addUrlPatterns("/callback/*");
		return registration;
	}

	@Bean
	Deduplicator deduplicator(JedisPooled jedis, ClientProperties properties) {
		return new Deduplicator(jedis, properties.tenantId());
	}

	@Bean
	HttpClient platformHttpClient(ChannelProperties properties) {
		return HttpClient.newBuilder()
			.connectTimeout(properties.apiTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	@Bean
	MessageAnswerer messageAnswerer(ConversationService conversations, List<ReplySender> senders,
			ChannelProperties properties, MeterRegistry meters) {
		Map<String, ReplySender> byChannel = senders.stream()
			.collect(Collectors.toMap(ReplySender::channel, Function.identity()));
		return new MessageAnswerer(conversations, byChannel, properties.sendAttempts(), properties.sendBackoff(),
				meters);
	}

	@Bean
	ChannelDispatcher channelDispatcher(MessageAnswerer answerer, ChannelProperties properties, MeterRegistry meters) {
		AtomicInteger threads = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(properties.workers(), properties.workers(), 60,
				TimeUnit.SECONDS, new ArrayBlockingQueue<>(properties.queueCapacity()), (task) -> {
					Thread thread = new Thread(task, "channel-worker-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.AbortPolicy());
		executor.allowCoreThreadTimeOut(true);
		return new ChannelDispatcher(answerer, executor, meters);
	}

}
