package io.chatrelay.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The chat-client node: receives the chat platforms' webhooks and the web channel, keeps
 * conversation context in Redis and asks the providers over Dubbo.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClientApplication {

	public static void main(String[] args) {
		SpringApplication.run(ClientApplication.class, args);
	}

}
