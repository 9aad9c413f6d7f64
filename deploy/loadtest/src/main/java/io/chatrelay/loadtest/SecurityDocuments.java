package io.chatrelay.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The config-center documents of {@link Security#ON}: quotas so high that they are
 * evaluated on every message but never reached, and word lists of realistic size whose
 * words never occur in the tool's traffic, so that the filter's scan costs what it costs
 * in production and blocks nothing. Both are the same in every run (fixed seed), so runs
 * compare.
 */
final class SecurityDocuments {

	/**
	 * The config-center key of the client's quota document (group {@code chat-relay}).
	 */
	static final String QUOTAS_KEY = "chat-relay-quotas.yaml";

	/** Words in the published lists. */
	static final int WORDS = 500;

	/** Requests per minute of every subject: at 3,000 msg/s still 500 times too many. */
	static final long REQUESTS_PER_MINUTE = 100_000_000L;

	/** Tokens per day and per month of every subject: about a day at 3,000 msg/s. */
	static final long TOKENS = 1_000_000_000_000L;

	/**
	 * Latin words start with one of these letters: never one a word of the traffic starts
	 * with ({@code question}, {@code LTID...}, {@code answer-to}, {@code warm-up}), and
	 * the filter matches a Latin word only where a word starts.
	 */
	static final String FIRST_LETTERS = "bcdfghjkmnpvxyz";

	private static final String VOWELS = "aeiou";

	private static final String CONSONANTS = "bcdfghjklmnprstvwxz";

	private static final long SEED = 13;

	private SecurityDocuments() {
	}

	/**
	 * The quota document: user and tenant limits on requests and on tokens per day and
	 * month, for every tenant, so that each message runs the whole check and the token
	 * reservation and settlement (the web chats' API key adds its own limits:
	 * {@link WebApiKey}).
	 * @return the YAML
	 */
	static String quotas() {
		String limits = "{requests-per-minute: " + REQUESTS_PER_MINUTE + ", tokens-per-day: " + TOKENS
				+ ", tokens-per-month: " + TOKENS + "}";
		return "# The load tool's quotas (--security=on): evaluated on every message, never reached.\n"
				+ "default:\n  user: " + limits + "\n  tenant: " + limits + "\n  max-tokens-per-request: 2048\n";
	}

	/**
	 * The word-list document: a block list (four fifths of the words) and a mask list for
	 * every tenant, each three quarters Latin and one quarter Chinese words,
	 * {@value #WORDS} in all.
	 * @return the YAML
	 */
	static String words() {
		List<String> all = wordList();
		int block = WORDS * 4 / 5;
		return "# The load tool's word lists (--security=on): realistic in size, never matching its traffic.\n"
				+ "lists:\n" + list("banned", "block", "\"Sorry, I can't help with that.\"", all.subList(0, block))
				+ list("rude", "mask", null, all.subList(block, all.size()));
	}

	/**
	 * The words, in document order: per list, Latin ones then Chinese ones.
	 * @return {@value #WORDS} distinct words
	 */
	static List<String> wordList() {
		Random random = new Random(SEED);
		int block = WORDS * 4 / 5;
		int mask = WORDS - block;
		List<String> words = new ArrayList<>(WORDS);
		Set<String> seen = new LinkedHashSet<>();
		words.addAll(distinct(random, seen, block * 3 / 4, SecurityDocuments::latin));
		words.addAll(distinct(random, seen, block - block * 3 / 4, SecurityDocuments::chinese));
		words.addAll(distinct(random, seen, mask * 3 / 4, SecurityDocuments::latin));
		words.addAll(distinct(random, seen, mask - mask * 3 / 4, SecurityDocuments::chinese));
		return words;
	}

	private static List<String> distinct(Random random, Set<String> seen, int count,
			java.util.function.Function<Random, String> word) {
		List<String> words = new ArrayList<>(count);
		while (words.size() < count) {
			String next = word.apply(random);
			if (seen.add(next)) {
				words.add(next);
			}
		}
		return words;
	}

	/** A pronounceable word of 5 to 9 letters, e.g. {@code bokarin}. */
	private static String latin(Random random) {
		int length = 5 + random.nextInt(5);
		StringBuilder word = new StringBuilder(length);
		word.append(FIRST_LETTERS.charAt(random.nextInt(FIRST_LETTERS.length())));
		while (word.length() < length) {
			String from = (word.length() % 2 == 1) ? VOWELS : CONSONANTS;
			word.append(from.charAt(random.nextInt(from.length())));
		}
		return word.toString();
	}

	/** Two to four CJK unified ideographs of the common block. */
	private static String chinese(Random random) {
		int length = 2 + random.nextInt(3);
		StringBuilder word = new StringBuilder(length);
		while (word.length() < length) {
			word.append((char) (0x4E00 + random.nextInt(0x9FA5 - 0x4E00 + 1)));
		}
		return word.toString();
	}

	private static String list(String name, String action, String message, List<String> words) {
		StringBuilder yaml = new StringBuilder("  - name: ").append(name).append("\n    action: ").append(action);
		if (message != null) {
			yaml.append("\n    message: ").append(message);
		}
		yaml.append("\n    words: [");
		for (int i = 0; i < words.size(); i++) {
			yaml.append((i > 0) ? ", " : "").append('"').append(words.get(i)).append('"');
		}
		return yaml.append("]\n").toString();
	}

}
