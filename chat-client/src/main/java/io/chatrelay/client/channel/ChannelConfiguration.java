package io.chatrelay.client.channel;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

import io.chatrelay.client.conversation.ConversationService;
import io.micrometer.core.instrument.MeterRegistry;

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
	MessageAnswerer messageAnswerer(ConversationService conversations, List<ReplySender> senders,
			ObjectProvider<ChannelResponder> responders, ChannelProperties properties, MeterRegistry meters) {
		List<ChannelResponder> all = new ArrayList<>(responders.orderedStream().toList());
		senders.forEach((sender) -> all
			.add(new SendingResponder(conversations, sender, properties.sendAttempts(), properties.sendBackoff())));
		return new MessageAnswerer(all, meters);
	}

	@Bean
	ChannelDispatcher channelDispatcher(ChannelInbox inbox, MessageAnswerer answerer, MeterRegistry meters) {
		return new ChannelDispatcher(inbox, answerer, meters);
	}

}
