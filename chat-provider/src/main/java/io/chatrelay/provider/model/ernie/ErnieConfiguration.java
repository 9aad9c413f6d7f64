package io.chatrelay.provider.model.ernie;

import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.VendorFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the Baidu ERNIE vendor ({@value ErnieChatModel#VENDOR}, Qianfan v2 or v1 as
 * {@code chat.provider.model.ernie.api-version} says) whenever this package is in the
 * build. Without credentials for the chosen version the vendor is still contributed, so
 * routing may name it; it fails every call with {@code UNAUTHORIZED} and the router
 * passes over it.
 */
@Configuration(proxyBeanMethods = false)
class ErnieConfiguration {

	/**
	 * The vendor, on a client of its own (shared with the v1 token requests).
	 * @param properties {@code chat.provider.model.ernie.*}
	 * @return the adapter
	 */
	@Bean
	ChatModel ernieChatModel(ErnieProperties properties) {
		return new ErnieChatModel(properties);
	}

	/**
	 * More ERNIE accounts: a tenant's own key or AK/SK (and API version, model,
	 * timeouts).
	 * @return the factory
	 */
	@Bean
	VendorFactory<ErnieProperties> ernieFactory() {
		return new VendorFactory<>(ErnieChatModel.VENDOR, ErnieProperties.class, ErnieChatModel::new);
	}

}
