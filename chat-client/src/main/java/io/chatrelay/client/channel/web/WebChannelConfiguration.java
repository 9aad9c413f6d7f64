package io.chatrelay.client.channel.web;

import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.identity.SecurityProperties;
import io.chatrelay.client.intake.BodyLimitFilter;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the web channel.
 */
@Configuration(proxyBeanMethods = false)
class WebChannelConfiguration {

	@Bean
	WebChatController webChatController(ConversationService conversations, WebProperties properties,
			SecurityProperties security) {
		return new WebChatController(conversations, properties.maxMessageChars(), security.anonymous());
	}

	@Bean
	FilterRegistrationBean<BodyLimitFilter> webBodyLimitFilter(WebProperties properties) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(properties.maxBodyBytes()));
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
