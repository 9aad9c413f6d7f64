package io.chatrelay.provider.filter;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FilterPropertiesTest {

	@Test
	void isOnWithoutListsByDefault() {
		FilterProperties properties = bind(Map.of());

		assertThat(properties.enabled()).isTrue();
		assertThat(properties.toLists()).isEmpty();
	}

	@Test
	void bindsLocalListsForEveryTenantUnlessTheyNameSome() {
		FilterProperties properties = bind(Map.of("chat.provider.filter.lists[0].name", "banned",
				"chat.provider.filter.lists[0].action", "block", "chat.provider.filter.lists[0].message", "No.",
				"chat.provider.filter.lists[0].words", "secret,敏感词", "chat.provider.filter.lists[1].name", "rude",
				"chat.provider.filter.lists[1].action", "mask", "chat.provider.filter.lists[1].tenants", "acme",
				"chat.provider.filter.lists[1].words[0]", "darn"));

		assertThat(properties.toLists()).containsExactly(
				new WordList("banned", Set.of("*"), FilterAction.BLOCK, "No.", List.of("secret", "敏感词")),
				new WordList("rude", Set.of("acme"), FilterAction.MASK, null, List.of("darn")));
	}

	@Test
	void aBlockListWithoutAMessageIsRejected() {
		FilterProperties properties = bind(Map.of("chat.provider.filter.lists[0].name", "banned",
				"chat.provider.filter.lists[0].action", "block", "chat.provider.filter.lists[0].words", "secret"));

		assertThatExceptionOfType(InvalidWordListException.class).isThrownBy(properties::toLists)
			.withMessageContaining("list 'banned': a block list needs a message");
	}

	private static FilterProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("chat.provider.filter",
				FilterProperties.class);
	}

}
