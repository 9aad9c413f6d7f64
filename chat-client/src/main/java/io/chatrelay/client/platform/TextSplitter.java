package io.chatrelay.client.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a reply into parts that each fit a platform's message limit, which is counted in
 * UTF-8 bytes (WeCom text: 2048 bytes, about 682 CJK characters).
 *
 * <p>
 * Each part is as long as the limit allows, cut at the best boundary found in its last
 * fifth: after the last newline there, else after the last other whitespace there, else
 * hard at the last code point that fits. A code point is never split, so a surrogate pair
 * (emoji) always stays whole. Nothing is trimmed or dropped, so the parts joined give
 * back the original text; as a consequence a part may consist of whitespace only (for
 * example a single newline beyond the limit), which callers should skip when sending.
 *
 * <p>
 * A hard cut may still separate the code points of one grapheme cluster (an emoji ZWJ
 * sequence, a flag, a letter and its combining mark).
 */
public final class TextSplitter {

	/** The longest UTF-8 encoding of a code point: every limit must hold one. */
	static final int MIN_LIMIT = 4;

	private TextSplitter() {
	}

	/**
	 * Split a text.
	 * @param text the text
	 * @param maxUtf8Bytes the most UTF-8 bytes per part, at least 4
	 * @return the parts in order, each non-empty and at most {@code maxUtf8Bytes} long;
	 * an empty list for an empty text (there is nothing to send)
	 * @throws IllegalArgumentException when {@code maxUtf8Bytes} is below 4
	 */
	public static List<String> split(String text, int maxUtf8Bytes) {
		Objects.requireNonNull(text, "text");
		if (maxUtf8Bytes < MIN_LIMIT) {
			throw new IllegalArgumentException("maxUtf8Bytes must be at least " + MIN_LIMIT + ": " + maxUtf8Bytes);
		}
		if (text.isEmpty()) {
			return List.of();
		}
		int soft = maxUtf8Bytes - maxUtf8Bytes / 5;
		List<String> parts = new ArrayList<>();
		int start = 0;
		while (start < text.length()) {
			int end = nextCut(text, start, maxUtf8Bytes, soft);
			parts.add(text.substring(start, end));
			start = end;
		}
		return Collections.unmodifiableList(parts);
	}

	/**
	 * Where the part that begins at {@code start} ends.
	 * @param soft the byte length from which a newline or whitespace is a good cut
	 */
	private static int nextCut(String text, int start, int max, int soft) {
		int bytes = 0;
		int index = start;
		int afterNewline = -1;
		int afterSpace = -1;
		while (index < text.length()) {
			int codePoint = text.codePointAt(index);
			int size = utf8Length(codePoint);
			if (bytes + size > max) {
				break;
			}
			bytes += size;
			index += Character.charCount(codePoint);
			if (bytes >= soft) {
				if (codePoint == '\n') {
					afterNewline = index;
				}
				else if (Character.isWhitespace(codePoint) && !isCrBeforeLf(text, codePoint, index)) {
					afterSpace = index;
				}
			}
		}
		if (index >= text.length()) {
			return text.length();
		}
		if (afterNewline > 0) {
			return afterNewline;
		}
		return (afterSpace > 0) ? afterSpace : index;
	}

	private static boolean isCrBeforeLf(String text, int codePoint, int next) {
		return codePoint == '\r' && next < text.length() && text.charAt(next) == '\n';
	}

	/**
	 * The UTF-8 length of a code point. A lone surrogate counts 3 bytes, the most any
	 * encoder writes for it (Java's writes 1, a {@code ?}).
	 */
	static int utf8Length(int codePoint) {
		if (codePoint < 0x80) {
			return 1;
		}
		if (codePoint < 0x800) {
			return 2;
		}
		return (codePoint < 0x10000) ? 3 : 4;
	}

}
