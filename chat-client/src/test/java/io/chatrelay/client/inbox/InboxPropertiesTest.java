package io.chatrelay.client.inbox;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class InboxPropertiesTest {

	@Test
	void bindsFromPropertiesWithTheDefaultsForWhatIsNotSet() {
		Binder binder = new Binder(new MapConfigurationPropertySource(
				Map.of("chat.client.inbox.concurrency", "64", "chat.client.inbox.dead-letters-max", "500")));

		InboxProperties properties = binder.bindOrCreate("chat.client.inbox", InboxProperties.class);

		assertThat(properties.concurrency()).isEqualTo(64);
		assertThat(properties.deadLettersMax()).isEqualTo(500);
		assertThat(properties.deadLetterMaxAge()).isEqualTo(Duration.ofDays(30));
		assertThat(properties.maxAge()).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void theConstructorWithoutTheDeadLetterBoundsGivesTheirDefaults() {
		InboxProperties properties = new InboxProperties(8, 0, Duration.ofSeconds(60), 5, Duration.ofMinutes(10),
				Duration.ofSeconds(2), Duration.ofSeconds(2), 16, Duration.ofDays(7));

		assertThat(properties.deadLettersMax()).isEqualTo(10_000);
		assertThat(properties.deadLetterMaxAge()).isEqualTo(Duration.ofDays(30));
	}

}
