package io.chatrelay.loadtest.traffic;

import java.nio.charset.StandardCharsets;

/**
 * The unique id the load tool puts into each message's text, so that the stand-ins can
 * tell which message a request or a reply belongs to: {@code LTID<id>.} where the id is
 * letters, digits and {@code -}. A model request carries the whole conversation, so the
 * current message is the <em>last</em> marker in the body.
 */
public final class MessageIds {

	/** What starts a marker. */
	static final String PREFIX = "LTID";

	/** What ends a marker. */
	static final char END = '.';

	private MessageIds() {
	}

	/**
	 * The marker for an id.
	 * @param id the message id
	 * @return {@code LTID<id>.}
	 */
	public static String marker(String id) {
		return PREFIX + id + END;
	}

	/**
	 * The id of the last marker in a body.
	 * @param body the raw request body (UTF-8 or ASCII)
	 * @return the id, or {@code null} if there is none
	 */
	public static String lastId(byte[] body) {
		return lastId(new String(body, StandardCharsets.ISO_8859_1));
	}

	/**
	 * The id of the last marker in a text.
	 * @param text the text
	 * @return the id, or {@code null} if there is none
	 */
	public static String lastId(String text) {
		int from = text.length();
		while (from > 0) {
			int start = text.lastIndexOf(PREFIX, from - 1);
			if (start < 0) {
				return null;
			}
			int end = start + PREFIX.length();
			while (end < text.length() && isIdChar(text.charAt(end))) {
				end++;
			}
			if (end < text.length() && text.charAt(end) == END && end > start + PREFIX.length()) {
				return text.substring(start + PREFIX.length(), end);
			}
			from = start;
		}
		return null;
	}

	private static boolean isIdChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
	}

}
