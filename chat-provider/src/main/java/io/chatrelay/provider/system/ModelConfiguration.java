package io.chatrelay.provider.system;

import java.net.http.HttpClient;

import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.openai.OpenAiChatModel;
import io.chatrelay.provider.model.openai.OpenAiProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the vendor adapters.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	@Bean
	ChatModel openAiChatModel(OpenAiProperties properties) {
		return new OpenAiChatModel(properties,
				HttpClient.newBuilder()
					.connectTimeout(properties.connectTimeout())
					.version(HttpClient.Version.HTTP_1_1)
					.build());
	}

}
