package io.chatrelay.provider.model.zhipu;

import io.chatrelay.provider.model.ChatModel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the Zhipu GLM vendor ({@value ZhipuChatModel#VENDOR}) whenever this package
 * is in the build. Without a usable key the vendor is still contributed, so routing may
 * name it; it fails every call with {@code UNAUTHORIZED} and the router passes over it.
 */
@Configuration(proxyBeanMethods = false)
class ZhipuConfiguration {

	/**
	 * The vendor, on a client of its own.
	 * @param properties {@code chat.provider.model.zhipu.*}
	 * @return the adapter
	 */
	@Bean
	ChatModel zhipuChatModel(ZhipuProperties properties) {
		return new ZhipuChatModel(properties);
	}

}
