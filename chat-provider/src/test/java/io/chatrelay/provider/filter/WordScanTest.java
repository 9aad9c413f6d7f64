package io.chatrelay.provider.filter;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan (automaton, folding, hold-back, masking) against a naive matcher that folds
 * the whole text and looks for every word with {@code indexOf}, on random texts cut into
 * random pieces. Fixed seed, so a failure repeats.
 */
class WordScanTest {

	/**
	 * Letters, their full-width and upper-case forms, and things skipped between them.
	 */
	private static final String[] ALPHABET = { "a", "b", "c", "A", "ｂ", "Ｃ", " ", "-", "\u200B", "敏", "感", "😀" };

	@Test
	void agreesWithANaiveMatcherOnRandomTextsCutIntoRandomPieces() {
		Random random = new Random(13);
		for (int round = 0; round < 3000; round++) {
			List<WordAutomaton.Word> words = new ArrayList<>();
			int count = 1 + random.nextInt(5);
			for (int i = 0; i < count; i++) {
				String word = TextFolding.fold(randomText(random, 1 + random.nextInt(4)));
				if (!word.isEmpty()) {
					words.add(new WordAutomaton.Word(word, i, random.nextInt(4) == 0));
				}
			}
			String text = randomText(random, random.nextInt(40));
			Expected expected = naive(words, text);
			WordScan scan = new WordScan(WordAutomaton.build(words), (list) -> {
			});
			StringBuilder out = new StringBuilder();
			int at = 0;
			while (at < text.length()) {
				int end = Math.min(text.length(), at + 1 + random.nextInt(6));
				out.append(scan.feed(text.substring(at, end)));
				at = end;
			}
			out.append(scan.finish());

			String context = "words " + words + ", text '" + text + "'";
			assertThat(scan.blocked()).as(context).isEqualTo(expected.blockedAt >= 0);
			if (expected.blockedAt >= 0) {
				assertThat(expected.maskedBefore).as(context).startsWith(out.toString());
			}
			else {
				assertThat(out.toString()).as(context).isEqualTo(expected.masked);
			}
		}
	}

	@Test
	void holdsBackNoMoreThanCouldStillBecomeAWord() {
		WordAutomaton automaton = WordAutomaton
			.build(List.of(new WordAutomaton.Word("bad", 0, false), new WordAutomaton.Word("敏感词", 1, true)));
		WordScan scan = new WordScan(automaton, (list) -> {
		});

		assertThat(scan.feed("this is a b")).isEqualTo("this is a ");
		assertThat(scan.feed(" a")).isEmpty();
		assertThat(scan.feed(" x and ")).isEqualTo("b a x and ");
		assertThat(scan.feed("敏")).isEmpty();
		assertThat(scan.feed(" 感！")).isEmpty();
		assertThat(scan.feed("谢")).isEqualTo("敏 感！谢");
		assertThat(scan.feed(" so bad")).as("a whole word that nothing extends").isEqualTo(" so ***");
		assertThat(scan.finish()).isEmpty();
	}

	@Test
	void masksTheOriginalSpanOfAWordSplitAcrossPieces() {
		WordScan scan = new WordScan(WordAutomaton.build(List.of(new WordAutomaton.Word("bad", 0, false))), (list) -> {
		});

		String out = scan.feed("so Ｂ") + scan.feed(" a-") + scan.feed("d!") + scan.finish();

		assertThat(out).isEqualTo("so *****!");
	}

	@Test
	void aLatinWordMustStartAWordButMayBeSpacedOut() {
		WordScan scan = new WordScan(
				WordAutomaton
					.build(List.of(new WordAutomaton.Word("bad", 0, false), new WordAutomaton.Word("ass", 1, false),
							new WordAutomaton.Word("hit", 2, false), new WordAutomaton.Word("shit", 3, false))),
				(list) -> {
				});

		String out = scan.feed("grab a dog, this hit, a class, b a d, 这是bad的, assess") + scan.finish();

		assertThat(out).isEqualTo("grab a dog, this ***, a class, *****, 这是***的, ***ess");
	}

	@Test
	void stopsAtABlockWordAndNeverReleasesAnyOfIt() {
		List<Integer> hits = new ArrayList<>();
		WordScan scan = new WordScan(WordAutomaton.build(List.of(new WordAutomaton.Word("secret", 3, true))),
				hits::add);

		String out = scan.feed("the sec") + scan.feed("ret is") + scan.feed(" out") + scan.finish();

		assertThat(out).isEqualTo("the ");
		assertThat(scan.blocked()).isTrue();
		assertThat(scan.blockedBy()).isEqualTo(3);
		assertThat(hits).containsExactly(3);
	}

	@Test
	void waitsForTheSecondHalfOfASurrogatePair() {
		WordScan scan = new WordScan(WordAutomaton.build(List.of(new WordAutomaton.Word("x", 0, false))), (list) -> {
		});
		String emoji = "😀";

		String out = scan.feed("a" + emoji.charAt(0)) + scan.feed(emoji.charAt(1) + "x") + scan.finish();

		assertThat(out).isEqualTo("a" + emoji + "*");
	}

	private static String randomText(Random random, int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
		}
		return text.toString();
	}

	/** What the scan should give, found the slow and obvious way. */
	private static Expected naive(List<WordAutomaton.Word> words, String text) {
		StringBuilder folded = new StringBuilder();
		List<int[]> origin = new ArrayList<>(); // per folded char: start and end of its
												// code point
		List<Boolean> afterWordChar = new ArrayList<>(); // per folded char: right after a
															// word char?
		boolean previousEndsInWordChar = false;
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			int end = i + Character.charCount(codePoint);
			String one = TextFolding.fold(new String(Character.toChars(codePoint)));
			for (int k = 0; k < one.length(); k++) {
				folded.append(one.charAt(k));
				origin.add(new int[] { i, end });
				afterWordChar.add((k == 0) ? previousEndsInWordChar : TextFolding.isWordChar(one.charAt(k - 1)));
			}
			previousEndsInWordChar = !one.isEmpty() && TextFolding.isWordChar(one.charAt(one.length() - 1));
			i = end;
		}
		String f = folded.toString();
		int blockEnd = Integer.MAX_VALUE;
		int blockStart = -1;
		BitSet masked = new BitSet();
		for (WordAutomaton.Word word : words) {
			for (int at = f.indexOf(word.folded()); at >= 0; at = f.indexOf(word.folded(), at + 1)) {
				if (TextFolding.isWordChar(word.folded().charAt(0)) && afterWordChar.get(at)) {
					continue; // a Latin word must start a word
				}
				int last = at + word.folded().length() - 1;
				if (word.block()) {
					if (last < blockEnd) {
						blockEnd = last;
						blockStart = origin.get(at)[0];
					}
				}
				else {
					masked.set(origin.get(at)[0], origin.get(last)[1]);
				}
			}
		}
		return new Expected(render(text, masked, text.length()), render(text, masked, Math.max(0, blockStart)),
				blockStart);
	}

	private static String render(String text, BitSet masked, int upTo) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < upTo; i++) {
			char c = text.charAt(i);
			if (!masked.get(i)) {
				out.append(c);
			}
			else if (!(Character.isLowSurrogate(c) && masked.get(i - 1))) {
				out.append('*');
			}
		}
		return out.toString();
	}

	/**
	 * @param masked the whole text, masked
	 * @param maskedBefore the text before the first block word, masked
	 * @param blockedAt where the first block word starts, -1 for none
	 */
	private record Expected(String masked, String maskedBefore, int blockedAt) {
	}

}
