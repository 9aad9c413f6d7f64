package io.chatrelay.provider.model.zhipu;

import java.net.http.HttpClient;
import java.time.Clock;

import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.VendorFactory;
import io.chatrelay.provider.model.compat.CompatChatModel;
import io.chatrelay.provider.model.compat.CompatVendor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the Zhipu GLM vendor ({@value #VENDOR}) whenever this package is in the
 * build: the shared chat-completions adapter in {@link ZhipuDialect}, with
 * {@link ZhipuErrorMapper} and {@link ZhipuCredentials} (a plain key or a JWT signed from
 * {@code id.secret}). Without a usable key the vendor is still contributed, so routing
 * may name it; it fails every call with {@code UNAUTHORIZED} and the router passes over
 * it.
 */
@Configuration(proxyBeanMethods = false)
class ZhipuConfiguration {

	/** The vendor name in routing, replies and metrics. */
	static final String VENDOR = "chatglm";

	/**
	 * The vendor, on a client of its own.
	 * @param properties {@code chat.provider.model.zhipu.*}
	 * @return the adapter
	 */
	@Bean
	ChatModel zhipuChatModel(ZhipuProperties properties) {
		return chatModel(properties, HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build(),
				Clock.systemUTC());
	}

	/**
	 * More Zhipu accounts: a tenant's own key (and base URL, model, timeouts).
	 * @return the factory
	 */
	@Bean
	VendorFactory<ZhipuProperties> zhipuFactory() {
		return new VendorFactory<>(VENDOR, ZhipuProperties.class, this::zhipuChatModel);
	}

	/**
	 * The adapter configured as Zhipu, on a given client (whose connect timeout should
	 * match {@link ZhipuProperties#connectTimeout()}) and clock (token signing,
	 * {@code Retry-After}).
	 * @param properties the settings
	 * @param httpClient the client, shared by all calls
	 * @param clock the clock
	 * @return the adapter
	 */
	static CompatChatModel chatModel(ZhipuProperties properties, HttpClient httpClient, Clock clock) {
		ZhipuCredentials credentials = new ZhipuCredentials(properties, clock);
		CompatVendor vendor = new CompatVendor(VENDOR, "Zhipu", properties.baseUrl(), properties.model(),
				properties.firstTokenTimeout(), properties.totalTimeout(), ZhipuDialect.DIALECT, credentials,
				new ZhipuErrorMapper(properties.apiKey(), clock, credentials::rejected));
		return new CompatChatModel(vendor, httpClient);
	}

}
