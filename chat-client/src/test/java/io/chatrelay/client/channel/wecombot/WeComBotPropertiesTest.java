package io.chatrelay.client.channel.wecombot;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class WeComBotPropertiesTest {

	private static final String TOKEN = "bot-token-not-real";

	private static final String KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

	private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

	private static final Validator VALIDATOR = VALIDATION.getValidator();

	@AfterAll
	static void close() {
		VALIDATION.close();
	}

	@Test
	void isEnabledWhenBothCredentialsAreSet() {
		assertThat(properties(TOKEN, KEY).missing()).isEmpty();
		assertThat(properties(null, KEY).missing()).containsExactly("token");
		assertThat(properties(TOKEN, " ").missing()).containsExactly("encoding-aes-key");
		assertThat(properties(null, null).missing()).containsExactly("token", "encoding-aes-key");
		assertThat(properties(null, null).channel()).isEqualTo("wecom-bot");
	}

	@Test
	void bindsWithItsDefaults() {
		WeComBotProperties bound = new Binder(new MapConfigurationPropertySource(Map
			.of("chat.client.channel.wecom-bot.token", TOKEN, "chat.client.channel.wecom-bot.encoding-aes-key", KEY)))
			.bindOrCreate("chat.client.channel.wecom-bot", WeComBotProperties.class);

		assertThat(bound).isEqualTo(properties(TOKEN, KEY));
		assertThat(bound.streamDeadline()).isEqualTo(Duration.ofMinutes(5).plusSeconds(30));
	}

	@Test
	void toStringNeverShowsTheCredentials() {
		assertThat(properties(TOKEN, KEY).toString()).doesNotContain(TOKEN)
			.doesNotContain(KEY)
			.contains("credentials set");
	}

	@Test
	void theDefaultsAreValid() {
		assertThat(problems(properties(TOKEN, KEY))).isEmpty();
		assertThat(problems(properties(null, null))).as("a disabled channel binds too").isEmpty();
	}

	@Test
	void theDedupeTtlMustCoverTheWindowAndTheStreamLife() {
		assertThat(problems(new WeComBotProperties(TOKEN, KEY, Duration.ofHours(1), Duration.ofMinutes(30),
				Duration.ofMinutes(10), Duration.ofSeconds(330), 131072)))
			.containsExactly("dedupe-ttl must cover the timestamp-window and the 6-minute stream life");
		assertThat(problems(new WeComBotProperties(TOKEN, KEY, Duration.ofMinutes(1), Duration.ofMinutes(5),
				Duration.ofMinutes(10), Duration.ofSeconds(330), 131072)))
			.containsExactly("dedupe-ttl must cover the timestamp-window and the 6-minute stream life");
	}

	@Test
	void theStreamMustOutliveWeComsRefreshes() {
		assertThat(problems(new WeComBotProperties(TOKEN, KEY, Duration.ofHours(1), Duration.ofHours(2),
				Duration.ofMinutes(5), Duration.ofSeconds(330), 131072)))
			.containsExactly("stream-ttl must cover the 6-minute stream life");
		assertThat(problems(new WeComBotProperties(TOKEN, KEY, Duration.ofHours(1), Duration.ofHours(2),
				Duration.ofMinutes(10), Duration.ofMinutes(6), 131072)))
			.containsExactly("stream-deadline must be between 0 and 6 minutes");
	}

	@Test
	void theWindowMustBePositive() {
		assertThat(problems(new WeComBotProperties(TOKEN, KEY, Duration.ZERO, Duration.ofHours(2),
				Duration.ofMinutes(10), Duration.ofSeconds(330), 131072)))
			.containsExactly("timestamp-window must be positive");
	}

	private static Set<String> problems(WeComBotProperties properties) {
		Set<ConstraintViolation<WeComBotProperties>> violations = VALIDATOR.validate(properties);
		assertThat(violations)
			.allSatisfy((violation) -> assertThat(String.valueOf(violation.getInvalidValue())).doesNotContain(TOKEN)
				.doesNotContain(KEY));
		return violations.stream().map(ConstraintViolation::getMessage).collect(Collectors.toSet());
	}

	private static WeComBotProperties properties(String token, String key) {
		return new WeComBotProperties(token, key, Duration.ofHours(1), Duration.ofHours(2), Duration.ofMinutes(10),
				Duration.ofSeconds(330), 131072);
	}

}
