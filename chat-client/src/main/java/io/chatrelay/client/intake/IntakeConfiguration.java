package io.chatrelay.client.intake;

import io.chatrelay.client.dispatch.MessageAnswerer;
import io.chatrelay.client.inbox.ChannelInbox;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires what every platform channel's intake shares: the body limit on
 * {@code /callback/*} and the intake into the durable inbox.
 */
@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

	@Bean
	FilterRegistrationBean<BodyLimitFilter> callbackBodyLimitFilter(IntakeProperties properties) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(properties.maxBodyBytes()));
		registration.addUrlPatterns("/callback/*");
		return registration;
	}

	@Bean
	MessageIntake messageIntake(ChannelInbox inbox, MessageAnswerer answerer, MeterRegistry meters) {
		return new MessageIntake(inbox, answerer, meters);
	}

}
