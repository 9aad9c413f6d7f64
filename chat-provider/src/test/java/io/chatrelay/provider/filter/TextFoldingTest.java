package io.chatrelay.provider.filter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextFoldingTest {

	@ParameterizedTest(name = "{0} folds to {1}")
	@CsvSource(delimiter = '|',
			value = { "bad|bad", "BaD|bad", "ｂａｄ|bad", "ＢＡＤ|bad", "b a d|bad", "b-a-d|bad", "b.a_d!|bad",
					"b\u200Ba\u200Dd|bad", "b\u3000a\td|bad", "b\u0332a\u0332d\u0332|bad", "①②|12", "敏 感 词|敏感词",
					"敏，感。词|敏感词", "ﾃｽﾄ|テスト", "한국어|한국어", "café|café", "C++|c", "¥€$ ★|''" })
	void foldsFullWidthCaseSpacesAndPunctuationAway(String text, String folded) {
		assertThat(TextFolding.fold(text)).isEqualTo(folded);
	}

}
