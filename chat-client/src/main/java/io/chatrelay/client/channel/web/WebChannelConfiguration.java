package io.chatrelay.client.channel.web;

import io.chatrelay.client.channel.PayloadTooLargeException;
import io.chatrelay.client.channel.BodyLimitFilter;
import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.system.ClientProperties;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the web channel.
 */
@Configuration(proxyBeanMethods = false)
class WebChannelConfiguration {

	@Bean
	WebChatController webChatController(ConversationService conversations, ClientProperties properties) {
		return new WebChatController(conversations, properties.web().maxMessageChars());
	}

	@Bean
	FilterRegistrationBean<BodyLimitFilter> webBodyLimitFilter(ClientProperties properties) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(properties.web().maxBodyBytes()));
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
