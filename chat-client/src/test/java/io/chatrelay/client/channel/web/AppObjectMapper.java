package io.chatrelay.client.channel.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The {@link ObjectMapper} the running client uses: Spring Boot's Jackson
 * auto-configuration with the {@code spring.jackson.*} settings of
 * {@code application.yml}, so tests read bodies exactly as the web endpoints do.
 */
final class AppObjectMapper {

	private AppObjectMapper() {
	}

	static ObjectMapper load() {
		List<PropertySource<?>> settings;
		try {
			settings = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ObjectMapper[] mapper = new ObjectMapper[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withInitializer((context) -> settings.forEach(context.getEnvironment().getPropertySources()::addFirst))
			.run((context) -> mapper[0] = context.getBean(ObjectMapper.class));
		return mapper[0];
	}

}
