package io.chatrelay.client.platform;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TextSplitterTest {

	@Test
	void cutsAsciiHardAtTheLimitWhenThereIsNoBreak() {
		List<String> parts = TextSplitter.split("a".repeat(25), 10);

		assertThat(parts).containsExactly("a".repeat(10), "a".repeat(10), "a".repeat(5));
	}

	@Test
	void countsCjkCharactersAsThreeBytes() {
		String text = "汉".repeat(10);

		List<String> parts = TextSplitter.split(text, 10);

		assertThat(parts).containsExactly("汉汉汉", "汉汉汉", "汉汉汉", "汉");
		assertThat(String.join("", parts)).isEqualTo(text);
	}

	@Test
	void fitsAboutSixHundredEightyTwoCjkCharactersIntoWeComsLimit() {
		String text = "汉".repeat(700);

		List<String> parts = TextSplitter.split(text, 2048);

		assertThat(parts).hasSize(2);
		assertThat(parts.get(0)).hasSize(682);
		assertThat(utf8(parts.get(0))).isEqualTo(2046);
	}

	@Test
	void keepsAnEmojiSurrogatePairWholeAtTheBoundary() {
		List<String> parts = TextSplitter.split("abc😀def", 5);

		assertThat(parts).containsExactly("abc", "😀d", "ef");
		assertThat(parts).allSatisfy(TextSplitterTest::assertWellFormed);
	}

	@Test
	void putsOneFourByteEmojiPerPartWhenTwoDoNotFit() {
		String text = "😀🎉👍🏽🇨🇳";

		List<String> parts = TextSplitter.split(text, 7);

		assertThat(parts).hasSize(text.codePointCount(0, text.length()));
		assertThat(parts).allSatisfy((part) -> {
			assertWellFormed(part);
			assertThat(utf8(part)).isEqualTo(4);
		});
		assertThat(String.join("", parts)).isEqualTo(text);
	}

	@Test
	void prefersTheLastNewlineInTheLastFifthOverALaterSpace() {
		// 16 'a' + '\n' = 17 bytes, inside the last fifth (>= 16) of a 20-byte part
		String text = "a".repeat(16) + "\nb c " + "d".repeat(20);

		List<String> parts = TextSplitter.split(text, 20);

		assertThat(parts.get(0)).isEqualTo("a".repeat(16) + "\n");
		assertThat(String.join("", parts)).isEqualTo(text);
	}

	@Test
	void cutsAfterTheLastWhitespaceWhenNoNewlineIsNearTheEnd() {
		String text = "a".repeat(14) + " bb " + "c".repeat(20);

		List<String> parts = TextSplitter.split(text, 20);

		assertThat(parts.get(0)).isEqualTo("a".repeat(14) + " bb ");
		assertThat(parts.get(1)).startsWith("c");
	}

	@Test
	void cutsHardWhenTheOnlyBreakIsBeforeTheLastFifth() {
		String text = "aa\n" + "b".repeat(30);

		List<String> parts = TextSplitter.split(text, 20);

		assertThat(parts.get(0)).isEqualTo("aa\n" + "b".repeat(17));
	}

	@Test
	void treatsTheIdeographicSpaceAsWhitespace() {
		String text = "汉".repeat(5) + "\u3000" + "字".repeat(5);

		List<String> parts = TextSplitter.split(text, 20);

		assertThat(parts).containsExactly("汉".repeat(5) + "\u3000", "字".repeat(5));
	}

	@Test
	void doesNotCutBetweenCarriageReturnAndLineFeed() {
		String text = "a".repeat(14) + " b\r\n" + "c".repeat(10);

		List<String> parts = TextSplitter.split(text, 17);

		assertThat(parts.get(0)).isEqualTo("a".repeat(14) + " ");
		assertThat(parts.get(1)).startsWith("b\r\n");
	}

	@Test
	void returnsOnePartForATextOfExactlyTheLimit() {
		String text = "汉".repeat(682) + "ab";
		assertThat(utf8(text)).isEqualTo(2048);

		assertThat(TextSplitter.split(text, 2048)).containsExactly(text);
		assertThat(TextSplitter.split("x".repeat(20), 20)).containsExactly("x".repeat(20));
	}

	@Test
	void returnsNoPartsForAnEmptyText() {
		assertThat(TextSplitter.split("", 2048)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 0, 3 })
	void rejectsLimitsThatCannotHoldEveryCodePoint(int limit) {
		assertThatIllegalArgumentException().isThrownBy(() -> TextSplitter.split("text", limit));
	}

	@ParameterizedTest
	@ValueSource(ints = { 4, 5, 7, 13, 64, 2048 })
	void partsFitTheLimitAndJoinBackToTheOriginal(int limit) {
		String[] pieces = { "a", "Z", " ", "\n", "\r\n", "\t", "é", "汉", "。", "😀", "👍🏽", "\u3000", "word " };
		Random random = new Random(limit);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 3000; i++) {
			text.append(pieces[random.nextInt(pieces.length)]);
		}

		List<String> parts = TextSplitter.split(text.toString(), limit);

		assertThat(String.join("", parts)).isEqualTo(text.toString());
		assertThat(parts).allSatisfy((part) -> {
			assertThat(part).isNotEmpty();
			assertThat(utf8(part)).isLessThanOrEqualTo(limit);
			assertWellFormed(part);
		});
	}

	private static int utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

	private static void assertWellFormed(String part) {
		assertThat(part.codePoints().filter((codePoint) -> codePoint >= 0xD800 && codePoint <= 0xDFFF))
			.as("lone surrogates in %s", part)
			.isEmpty();
	}

}
