package io.chatrelay.provider.filter;

import java.util.BitSet;
import java.util.function.IntConsumer;

/**
 * One pass of an automaton over a text that may arrive in pieces: it holds back only the
 * tail that could still be the beginning of a listed word, masks what a mask list hit,
 * and stops at the first block hit. Not thread-safe: one text, one caller at a time.
 *
 * <p>
 * The held-back tail starts at the original char where the automaton's current hold
 * begins: any hit still to come starts there or later, so text before it is final. Folded
 * chars map back to original chars through a ring of the last {@code longestWord}
 * positions.
 */
final class WordScan {

	private static final char MASK = '*';

	private final WordAutomaton automaton;

	/** Original chars not released yet. */
	private final StringBuilder pending = new StringBuilder();

	/** Which chars of {@link #pending} a mask hit covers. */
	private BitSet masked = new BitSet();

	/**
	 * Original offset (counted from the start of the text) of each of the last folded
	 * chars, by folded position modulo its length.
	 */
	private final int[] origins;

	/**
	 * Whether each of the last folded chars comes right after a word char (see
	 * {@link TextFolding#isWordChar}), in the same ring.
	 */
	private final boolean[] afterWordChar;

	/** Whether the last code point fed ended with a word char. */
	private boolean lastWasWordChar;

	private final StringBuilder folded = new StringBuilder(4);

	private final IntConsumer onHit;

	/** Original chars released so far. */
	private int released;

	/** Chars of {@link #pending} already folded and fed. */
	private int scanned;

	private long foldedCount;

	private int state = WordAutomaton.START;

	private int blockedBy = -1;

	/**
	 * Start a scan.
	 * @param automaton the words
	 * @param onHit told the list index of every hit, as it is found
	 */
	WordScan(WordAutomaton automaton, IntConsumer onHit) {
		this.automaton = automaton;
		this.origins = new int[automaton.longestWord() + 1];
		this.afterWordChar = new boolean[this.origins.length];
		this.onHit = onHit;
	}

	/**
	 * Feed more text and release what can no longer be part of a hit.
	 * @param text the next piece
	 * @return the text now final (masked where needed), possibly empty; empty once
	 * blocked
	 */
	String feed(CharSequence text) {
		if (blocked()) {
			return "";
		}
		this.pending.append(text);
		scan(false);
		if (blocked()) {
			return "";
		}
		int hold = this.automaton.hold(this.state);
		int safe = (hold == 0) ? this.scanned : origin(this.foldedCount - hold) - this.released;
		return release(safe);
	}

	/**
	 * The text ended: release everything held back.
	 * @return the rest, masked where needed; empty if blocked
	 */
	String finish() {
		if (blocked()) {
			return "";
		}
		scan(true);
		return blocked() ? "" : release(this.pending.length());
	}

	/**
	 * Whether a block list hit.
	 * @return {@code true} once a block word was seen
	 */
	boolean blocked() {
		return this.blockedBy >= 0;
	}

	/**
	 * The block list that hit.
	 * @return its index, or -1
	 */
	int blockedBy() {
		return this.blockedBy;
	}

	private void scan(boolean last) {
		while (this.scanned < this.pending.length()) {
			char c = this.pending.charAt(this.scanned);
			if (Character.isHighSurrogate(c) && this.scanned + 1 == this.pending.length() && !last) {
				return; // its low surrogate comes with the next piece
			}
			int codePoint = this.pending.codePointAt(this.scanned);
			int start = this.scanned;
			int end = start + Character.charCount(codePoint);
			this.folded.setLength(0);
			TextFolding.fold(codePoint, this.folded);
			boolean after = this.lastWasWordChar;
			for (int i = 0; i < this.folded.length(); i++) {
				char folded = this.folded.charAt(i);
				int slot = (int) (this.foldedCount % this.origins.length);
				this.origins[slot] = this.released + start;
				this.afterWordChar[slot] = after;
				after = TextFolding.isWordChar(folded);
				this.foldedCount++;
				this.state = this.automaton.next(this.state, folded);
				if (hit(end)) {
					return;
				}
			}
			this.lastWasWordChar = !this.folded.isEmpty() && after;
			this.scanned = end;
		}
	}

	/**
	 * Act on the words ending at the current state: block at a block word, else mask the
	 * longest mask word. Words that must start a word count only there.
	 * @param end where the current code point ends in {@link #pending}
	 * @return whether the scan is blocked
	 */
	private boolean hit(int end) {
		int mask = -1;
		for (int output = this.automaton.firstOutput(this.state); output >= 0; output = this.automaton
			.nextOutput(output)) {
			long start = this.foldedCount - this.automaton.length(output);
			if (this.automaton.startsAWord(output) && this.afterWordChar[(int) (start % this.origins.length)]) {
				continue;
			}
			if (this.automaton.blocks(output)) {
				this.blockedBy = this.automaton.list(output);
				this.onHit.accept(this.blockedBy);
				return true;
			}
			if (mask < 0) {
				mask = output;
			}
		}
		if (mask >= 0) {
			int from = Math.max(0, origin(this.foldedCount - this.automaton.length(mask)) - this.released);
			this.masked.set(from, end);
			this.onHit.accept(this.automaton.list(mask));
		}
		return false;
	}

	private int origin(long foldedPosition) {
		return this.origins[(int) (foldedPosition % this.origins.length)];
	}

	private String release(int upTo) {
		if (upTo <= 0) {
			return "";
		}
		StringBuilder out = new StringBuilder(upTo);
		for (int i = 0; i < upTo; i++) {
			char c = this.pending.charAt(i);
			if (!this.masked.get(i)) {
				out.append(c);
			}
			else if (!(Character.isLowSurrogate(c) && i > 0 && this.masked.get(i - 1)
					&& Character.isHighSurrogate(this.pending.charAt(i - 1)))) {
				out.append(MASK); // one mask char per code point
			}
		}
		this.pending.delete(0, upTo);
		this.masked = this.masked.get(upTo, Math.max(upTo, this.masked.length()));
		this.scanned -= upTo;
		this.released += upTo;
		return out.toString();
	}

}
