package io.chatrelay.client.platform;

import java.net.http.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one HTTP client every platform's API client shares.
 */
@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

	@Bean
	HttpClient platformHttpClient(PlatformProperties properties) {
		return HttpClient.newBuilder()
			.connectTimeout(properties.apiTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

}
