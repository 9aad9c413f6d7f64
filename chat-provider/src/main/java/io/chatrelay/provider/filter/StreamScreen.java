package io.chatrelay.provider.filter;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;

/**
 * Screens one streamed answer, delta by delta: releases what can no longer be part of a
 * listed word, holds back the rest (at most the longest word, counted in letters), masks
 * mask-list words and stops at a block-list word, which is never released, not even in
 * part. Not thread-safe: the stream calls it in order (the transport serialises listener
 * calls).
 */
public final class StreamScreen {

	private static final StreamScreen PASS_THROUGH = new StreamScreen(null, null);

	private final WordScan scan;

	private final WordLists lists;

	private StreamScreen(WordScan scan, WordLists lists) {
		this.scan = scan;
		this.lists = lists;
	}

	static StreamScreen passThrough() {
		return PASS_THROUGH;
	}

	static StreamScreen of(WordScan scan, WordLists lists) {
		return new StreamScreen(scan, lists);
	}

	/**
	 * Screen the next delta.
	 * @param delta the text from the model
	 * @return the text to send on now, possibly empty
	 * @throws ChatException {@code CONTENT_FILTERED} with the list's message when a block
	 * list hit: the stream must end here
	 */
	public String accept(String delta) {
		if (this.scan == null) {
			return delta;
		}
		String released = this.scan.feed(delta);
		if (this.scan.blocked()) {
			throw blocked();
		}
		return released;
	}

	/**
	 * The answer ended: the text held back.
	 * @return the rest, masked where needed; empty if nothing was held
	 */
	public String finish() {
		return (this.scan != null) ? this.scan.finish() : "";
	}

	private ChatException blocked() {
		return new ChatException(ChatErrorCode.CONTENT_FILTERED,
				this.lists.lists().get(this.scan.blockedBy()).message());
	}

}
