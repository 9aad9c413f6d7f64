package io.chatrelay.provider.filter;

import java.text.Normalizer;

/**
 * Folds text, one code point at a time, into the form words are matched in: NFKC (so
 * full-width {@code ｂａｄ} reads as {@code bad}), lower case, and without the characters
 * people put between letters to slip past a filter (white space, zero-width and other
 * format characters, combining marks, punctuation, symbols). A code point folds to zero,
 * one or more chars.
 *
 * <p>
 * One code point at a time rather than the whole text so that a stream can be folded as
 * it arrives and every folded char stays tied to the original code point it came from.
 * The price: a decomposed accent (e + U+0301) is dropped as a mark, while a precomposed
 * one (é) is kept, so {@code café} in a list matches only the precomposed spelling.
 */
final class TextFolding {

	private static final int CJK_FIRST = 0x4E00;

	private static final int CJK_LAST = 0x9FFF;

	private static final int HANGUL_FIRST = 0xAC00;

	private static final int HANGUL_LAST = 0xD7A3;

	private TextFolding() {
	}

	/**
	 * Fold a whole word (or text) into one string.
	 * @param text the text
	 * @return the folded text, possibly empty
	 */
	static String fold(CharSequence text) {
		StringBuilder out = new StringBuilder(text.length());
		text.codePoints().forEach((codePoint) -> fold(codePoint, out));
		return out.toString();
	}

	/**
	 * Append the folded form of one code point.
	 * @param codePoint the code point
	 * @param out where to append; nothing is appended for an ignorable code point
	 */
	static void fold(int codePoint, StringBuilder out) {
		if (codePoint < 0x80) {
			foldAscii(codePoint, out);
			return;
		}
		// Fast paths: ideographs and Hangul syllables are NFKC-stable and caseless.
		if ((codePoint >= CJK_FIRST && codePoint <= CJK_LAST)
				|| (codePoint >= HANGUL_FIRST && codePoint <= HANGUL_LAST)) {
			out.append((char) codePoint);
			return;
		}
		if (ignorable(codePoint)) {
			return;
		}
		String normalized = Normalizer.normalize(new String(Character.toChars(codePoint)), Normalizer.Form.NFKC);
		for (int i = 0; i < normalized.length();) {
			int each = normalized.codePointAt(i);
			i += Character.charCount(each);
			if (each < 0x80) {
				foldAscii(each, out);
			}
			else if (!ignorable(each)) {
				out.appendCodePoint(Character.toLowerCase(each));
			}
		}
	}

	/**
	 * Whether a folded char belongs to a script written with spaces between words (Latin,
	 * Greek, Cyrillic, and digits), where a listed word must start a word.
	 * @param c a folded char
	 * @return {@code true} for such a letter or digit
	 */
	static boolean isWordChar(char c) {
		if (c < 0x80) {
			return true; // folded ASCII is only a-z and 0-9
		}
		if ((c >= CJK_FIRST && c <= CJK_LAST) || (c >= HANGUL_FIRST && c <= HANGUL_LAST)) {
			return false;
		}
		if (!Character.isLetterOrDigit(c)) {
			return false;
		}
		Character.UnicodeScript script = Character.UnicodeScript.of(c);
		return script == Character.UnicodeScript.LATIN || script == Character.UnicodeScript.GREEK
				|| script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.COMMON;
	}

	private static void foldAscii(int codePoint, StringBuilder out) {
		if (codePoint >= 'A' && codePoint <= 'Z') {
			out.append((char) (codePoint + ('a' - 'A')));
		}
		else if ((codePoint >= 'a' && codePoint <= 'z') || (codePoint >= '0' && codePoint <= '9')) {
			out.append((char) codePoint);
		}
	}

	private static boolean ignorable(int codePoint) {
		return switch (Character.getType(codePoint)) {
			case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.CONTROL,
					Character.FORMAT, Character.SURROGATE, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
					Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
					Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
					Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
					Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL ->
				true;
			default -> false;
		};
	}

}
