package io.chatrelay.provider.filter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WordListDocumentTest {

	static final String DOCUMENT = """
			lists:
			  - name: banned
			    action: block
			    message: "I can't help with that."
			    words: [secret, "敏感词"]
			  - name: rude
			    tenants: [acme, beta]
			    action: mask
			    words: [darn]
			""";

	@Test
	void readsListsWithTheirTenantsActionsAndMessages() {
		WordLists lists = WordListDocument.parse(DOCUMENT);

		assertThat(lists.enabled()).isTrue();
		assertThat(lists.lists()).containsExactly(
				new WordList("banned", Set.of("*"), FilterAction.BLOCK, "I can't help with that.",
						List.of("secret", "敏感词")),
				new WordList("rude", Set.of("acme", "beta"), FilterAction.MASK, null, List.of("darn")));
		assertThat(lists.forTenant("acme").longestWord()).isEqualTo(6);
		assertThat(lists.forTenant("other")).isNotNull();
	}

	@Test
	void theExampleForNacosIsValid() throws Exception {
		WordLists lists = WordListDocument.parse(Files.readString(Path.of("../deploy/nacos/chat-relay-words.yaml")));

		assertThat(lists.lists()).extracting(WordList::name).containsExactly("banned", "masked");
	}

	@Test
	void canSwitchFilteringOff() {
		WordLists lists = WordListDocument.parse("enabled: false\n" + DOCUMENT);

		assertThat(lists.enabled()).isFalse();
		assertThat(lists.forTenant("acme")).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "empty|''|the document is empty", "not YAML|'lists: [a'|not valid YAML",
			"unknown key|'lists: []\nextra: 1'|unknown key 'extra'",
			"unknown list key|'lists: [{name: a, action: mask, words: [x], colour: red}]'|unknown key 'lists[0].colour'",
			"block without message|'lists: [{name: a, action: block, words: [x]}]'|needs a message",
			"mask with message|'lists: [{name: a, action: mask, message: hi, words: [x]}]'|shows no message",
			"bad action|'lists: [{name: a, action: drop, words: [x]}]'|block or mask",
			"no words|'lists: [{name: a, action: mask, words: []}]'|at least one word",
			"word without letters|'lists: [{name: a, action: mask, words: [x, \"-!-\"]}]'|word 2 has no letters",
			"number word|'lists: [{name: a, action: mask, words: [123]}]'|quote numbers",
			"same name twice|'lists: [{name: a, action: mask, words: [x]}, {name: a, action: mask, words: [y]}]'|two lists are named 'a'",
			"empty tenants|'lists: [{name: a, tenants: [], action: mask, words: [x]}]'|tenants must name",
			"enabled not boolean|'enabled: maybe'|enabled must be true or false" })
	void rejectsAnInvalidDocumentNamingTheProblem(String name, String yaml, String problem) {
		assertThatExceptionOfType(InvalidWordListException.class).isThrownBy(() -> WordListDocument.parse(yaml))
			.withMessageContaining(problem);
	}

	@Test
	void rejectsAWordLongerThanAStreamMayHoldBack() {
		String yaml = "lists: [{name: a, action: mask, words: [" + "x".repeat(WordList.MAX_WORD_LENGTH + 1) + "]}]";

		assertThatExceptionOfType(InvalidWordListException.class).isThrownBy(() -> WordListDocument.parse(yaml))
			.withMessageContaining("longer than 64")
			.withMessageNotContaining("xxx");
	}

}
