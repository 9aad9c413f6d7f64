package io.chatrelay.client.intake;

import java.util.List;

import io.chatrelay.client.dispatch.MessageAnswerer;
import io.chatrelay.client.inbox.ChannelInbox;
import io.chatrelay.client.inbox.InboxPressure;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Wires what every platform channel's intake shares: the body limits on
 * {@code /callback/*} (one per platform, from each channel's settings) and the intake
 * into the durable inbox.
 */
@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

	@Bean
	FilterRegistrationBean<BodyLimitFilter> callbackBodyLimitFilter(List<ChannelSettings> channels) {
		CallbackBodyLimits limits = new CallbackBodyLimits(channels);
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(limits::limit));
		registration.addUrlPatterns("/callback/*");
		return registration;
	}

	/**
	 * Refusals first, while the node is past its capacity: before the body limit, the
	 * body, the signature.
	 */
	@Bean
	FilterRegistrationBean<OverloadFilter> callbackOverloadFilter(InboxPressure pressure, MessageIntake intake) {
		FilterRegistrationBean<OverloadFilter> registration = new FilterRegistrationBean<>(
				new OverloadFilter(pressure, intake));
		registration.addUrlPatterns("/callback/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	MessageIntake messageIntake(ChannelInbox inbox, MessageAnswerer answerer, MeterRegistry meters,
			InboxPressure pressure) {
		return new MessageIntake(inbox, answerer, meters, pressure);
	}

}
