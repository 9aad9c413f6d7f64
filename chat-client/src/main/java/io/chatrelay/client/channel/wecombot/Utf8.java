package io.chatrelay.client.channel.wecombot;

/**
 * Byte limits that WeCom counts in UTF-8 (protocols trap 14).
 */
final class Utf8 {

	private Utf8() {
	}

	/**
	 * The longest prefix of {@code text} that fits in {@code maxBytes} UTF-8 bytes, cut
	 * between code points (never inside a character or a surrogate pair).
	 * @param text the text
	 * @param maxBytes the limit in bytes
	 * @return {@code text} itself when it fits, otherwise its longest fitting prefix
	 */
	static String truncate(String text, int maxBytes) {
		int bytes = 0;
		int i = 0;
		while (i < text.length()) {
			int codePoint = text.codePointAt(i);
			bytes += encodedLength(codePoint);
			if (bytes > maxBytes) {
				return text.substring(0, i);
			}
			i += Character.charCount(codePoint);
		}
		return text;
	}

	/**
	 * The UTF-8 length of one code point; a lone surrogate counts 3, which is at least
	 * what any encoder writes for it.
	 */
	private static int encodedLength(int codePoint) {
		if (codePoint < 0x80) {
			return 1;
		}
		if (codePoint < 0x800) {
			return 2;
		}
		return (codePoint < 0x10000) ? 3 : 4;
	}

}
