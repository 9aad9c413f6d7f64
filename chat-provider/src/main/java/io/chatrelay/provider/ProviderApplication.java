package io.chatrelay.provider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The chat-provider node: serves {@link io.chatrelay.api.ChatService} over Dubbo Triple
 * in front of the LLM vendors.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProviderApplication {

	public static void main(String[] args) {
		SpringApplication.run(ProviderApplication.class, args);
	}

}
