package io.chatrelay.provider.model.openai;

import java.net.http.HttpClient;

import io.chatrelay.provider.model.ChatModel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the OpenAI vendor ({@value OpenAiChatModel#VENDOR}) whenever this package
 * is in the build. Without a key the vendor is still contributed, so routing may name it;
 * it fails every call with {@code UNAUTHORIZED} and the router passes over it.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiConfiguration {

	/**
	 * The vendor, on an HTTP/1.1 client of its own.
	 * @param properties {@code chat.provider.model.openai.*}
	 * @return the adapter
	 */
	@Bean
	ChatModel openAiChatModel(OpenAiProperties properties) {
		return new OpenAiChatModel(properties,
				HttpClient.newBuilder()
					.connectTimeout(properties.connectTimeout())
					.version(HttpClient.Version.HTTP_1_1)
					.build());
	}

}
