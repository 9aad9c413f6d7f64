package io.chatrelay.provider.system;

import io.chatrelay.provider.filter.FilterProperties;
import io.chatrelay.provider.filter.InvalidWordListException;
import io.chatrelay.provider.filter.WordFilter;
import io.chatrelay.provider.filter.WordListSubscription;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.dubbo.rpc.model.ApplicationModel;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sensitive-word filter: the local lists (checked at start-up: an invalid list stops
 * the node) and, while the filter is enabled, the config-center subscription.
 */
@Configuration(proxyBeanMethods = false)
class FilterConfiguration {

	@Bean
	WordFilter wordFilter(FilterProperties properties, MeterRegistry meters) {
		try {
			return new WordFilter(properties.enabled(), properties.toLists(), meters);
		}
		catch (InvalidWordListException ex) {
			throw new IllegalStateException("Invalid chat.provider.filter: " + ex.getMessage(), ex);
		}
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "chat.provider.filter.enabled", havingValue = "true", matchIfMissing = true)
	WordListSubscription wordListSubscription(WordFilter filter) {
		return new WordListSubscription(filter, ApplicationModel.defaultModel());
	}

}
