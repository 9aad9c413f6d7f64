package io.chatrelay.provider.filter;

import java.util.Locale;

/**
 * What a hit of a list does.
 */
public enum FilterAction {

	/**
	 * The request fails with {@code CONTENT_FILTERED} and the list's message (input), or
	 * the answer stops there (output).
	 */
	BLOCK,

	/** The word is replaced by {@code *}, one per character, and the text goes on. */
	MASK;

	/**
	 * The action named in a document.
	 * @param name {@code block} or {@code mask}, any case
	 * @return the action
	 * @throws InvalidWordListException for any other name
	 */
	static FilterAction of(String name) {
		return switch (name.strip().toLowerCase(Locale.ROOT)) {
			case "block" -> BLOCK;
			case "mask" -> MASK;
			default -> throw new InvalidWordListException("action must be block or mask");
		};
	}

	/**
	 * The name in documents and metrics.
	 * @return {@code block} or {@code mask}
	 */
	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
