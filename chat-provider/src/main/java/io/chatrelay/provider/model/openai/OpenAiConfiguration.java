package io.chatrelay.provider.model.openai;

import java.net.http.HttpClient;
import java.time.Clock;

import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.VendorFactory;
import io.chatrelay.provider.model.compat.CompatChatModel;
import io.chatrelay.provider.model.compat.CompatCredentials;
import io.chatrelay.provider.model.compat.CompatDialect;
import io.chatrelay.provider.model.compat.CompatVendor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the OpenAI vendor ({@value #VENDOR}) whenever this package is in the build:
 * the shared chat-completions adapter in OpenAI's own dialect, with
 * {@link OpenAiErrorMapper} and the API key as a Bearer token. Without a key the vendor
 * is still contributed, so routing may name it; it fails every call with
 * {@code UNAUTHORIZED} and the router passes over it.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiConfiguration {

	/** The vendor name in routing, replies and metrics. */
	static final String VENDOR = "chatgpt";

	/**
	 * The vendor, on an HTTP/1.1 client of its own.
	 * @param properties {@code chat.provider.model.openai.*}
	 * @return the adapter
	 */
	@Bean
	ChatModel openAiChatModel(OpenAiProperties properties) {
		return chatModel(properties,
				HttpClient.newBuilder()
					.connectTimeout(properties.connectTimeout())
					.version(HttpClient.Version.HTTP_1_1)
					.build());
	}

	/**
	 * More OpenAI accounts: a tenant's own key (and base URL, model, timeouts).
	 * @return the factory
	 */
	@Bean
	VendorFactory<OpenAiProperties> openAiFactory() {
		return new VendorFactory<>(VENDOR, OpenAiProperties.class, this::openAiChatModel);
	}

	/**
	 * The adapter configured as OpenAI, on a given client (whose connect timeout should
	 * match {@link OpenAiProperties#connectTimeout()}).
	 * @param properties the settings
	 * @param httpClient the client, shared by all calls
	 * @return the adapter
	 */
	static CompatChatModel chatModel(OpenAiProperties properties, HttpClient httpClient) {
		CompatVendor vendor = new CompatVendor(VENDOR, "OpenAI", properties.baseUrl(), properties.model(),
				properties.firstTokenTimeout(), properties.totalTimeout(), CompatDialect.openAi(),
				CompatCredentials.apiKey(properties.apiKey(), "OpenAI API key is not configured"),
				new OpenAiErrorMapper(properties.apiKey(), Clock.systemUTC()));
		return new CompatChatModel(vendor, httpClient);
	}

	/**
	 * The adapter configured as OpenAI, with its own client built from the properties.
	 * @param properties the settings
	 * @return the adapter
	 */
	static CompatChatModel chatModel(OpenAiProperties properties) {
		return chatModel(properties, HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build());
	}

}
