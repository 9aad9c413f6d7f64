package io.chatrelay.loadtest;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import io.chatrelay.loadtest.standin.LlmStandIn;
import io.chatrelay.loadtest.traffic.MessageIds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityDocumentsTest {

	/** Every text the tool sends through the system, and the answers it gets. */
	private static final List<String> TRAFFIC = List.of("question " + MessageIds.marker("mbx3kq1-12345"),
			LlmStandIn.ANSWER_PREFIX + MessageIds.marker("mbx3kq1-12345"), "warm-up " + MessageIds.marker("warmup"),
			"question " + MessageIds.marker("nokey"));

	@Test
	void theWordListsHoldFiveHundredDistinctWordsTheSameInEveryRun() {
		List<String> words = SecurityDocuments.wordList();

		assertThat(words).hasSize(SecurityDocuments.WORDS).doesNotHaveDuplicates();
		assertThat(SecurityDocuments.wordList()).isEqualTo(words);
		assertThat(words).filteredOn((word) -> word.codePointAt(0) >= 0x4E00).hasSize(125);
		assertThat(SecurityDocuments.words()).contains("name: banned", "action: block", "name: rude", "action: mask")
			.contains("\"" + words.get(0) + "\"", "\"" + words.get(words.size() - 1) + "\"");
	}

	@Test
	void noWordOccursInTheTrafficEvenIgnoringWordStartsSpacesAndPunctuation() {
		// Stricter than the filter, which matches a Latin word only where a word starts.
		for (String text : TRAFFIC) {
			String folded = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
			for (String word : SecurityDocuments.wordList()) {
				assertThat(folded).as(text).doesNotContain(word);
			}
		}
	}

	@Test
	void noLatinWordStartsWithALetterAWordOfTheTrafficStartsWith() {
		HashSet<Character> starts = new HashSet<>();
		for (String text : TRAFFIC) {
			for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
				if (!word.isEmpty()) {
					starts.add(word.charAt(0));
				}
			}
		}
		assertThat(SecurityDocuments.wordList()).filteredOn((word) -> word.charAt(0) < 0x80)
			.allSatisfy((word) -> assertThat(starts).doesNotContain(word.charAt(0)));
	}

	@Test
	void theQuotasAreSetForUserAndTenantFarAboveAnyLoad() {
		assertThat(SecurityDocuments.quotas()).contains("default:", "  user: {requests-per-minute: 100000000",
				"  tenant: {requests-per-minute: 100000000", "tokens-per-day: 1000000000000",
				"tokens-per-month: 1000000000000", "max-tokens-per-request: 2048");
	}

}
