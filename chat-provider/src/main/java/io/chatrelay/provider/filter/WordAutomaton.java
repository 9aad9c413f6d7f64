package io.chatrelay.provider.filter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Aho-Corasick automaton over folded words (see {@link TextFolding}), built once per
 * tenant and then only read, so any number of scans may share it.
 *
 * <p>
 * A scan keeps one state and feeds one folded char at a time ({@link #next}). Each state
 * knows how much to hold ({@link #hold}): the length of the longest suffix of what was
 * fed that may still grow into a word. Only that many chars can still become part of a
 * hit, which is what a stream holds back. Each state also carries what ends there (its
 * own word, or one reached through failure links): the first block list with a word
 * ending here, and the longest mask word ending here (a shorter one is inside it).
 *
 * <p>
 * Our own rather than a library: the maintained Java libraries match whole strings and do
 * not expose the state between calls, which streaming needs. It is checked against a
 * naive matcher on random input in {@code WordAutomatonTest}.
 */
final class WordAutomaton {

	/** The state before anything was fed. */
	static final int START = 0;

	private static final char[] NO_LABELS = new char[0];

	private static final int[] NO_TARGETS = new int[0];

	private final char[][] labels;

	private final int[][] targets;

	private final int[] fail;

	private final int[] hold;

	/** Per state: the length of the word ending exactly here, 0 for none. */
	private final int[] length;

	/** Per state: the list of that word (a block list first), -1 for none. */
	private final int[] list;

	private final boolean[] blocks;

	private final boolean[] startsAWord;

	/**
	 * Per state: the nearest state on its failure chain, itself included, where a word
	 * ends.
	 */
	private final int[] firstOutput;

	private final int longestWord;

	private WordAutomaton(char[][] labels, int[][] targets, int longestWord) {
		int size = labels.length;
		this.labels = labels;
		this.targets = targets;
		this.fail = new int[size];
		this.hold = new int[size];
		this.length = new int[size];
		this.list = new int[size];
		this.blocks = new boolean[size];
		this.startsAWord = new boolean[size];
		this.firstOutput = new int[size];
		this.longestWord = longestWord;
		Arrays.fill(this.list, -1);
	}

	/**
	 * A word to find.
	 *
	 * @param folded the word, already folded, not empty
	 * @param list the index of its list
	 * @param block whether a hit blocks (else it is masked)
	 */
	record Word(String folded, int list, boolean block) {
	}

	/**
	 * Build the automaton.
	 * @param words the words, in list order
	 * @return the automaton
	 */
	static WordAutomaton build(List<Word> words) {
		List<TreeMap<Character, Integer>> children = new ArrayList<>();
		children.add(new TreeMap<>());
		Map<Integer, Word> ends = new TreeMap<>();
		int longest = 0;
		for (Word word : words) {
			int state = START;
			for (int i = 0; i < word.folded().length(); i++) {
				char c = word.folded().charAt(i);
				Integer next = children.get(state).get(c);
				if (next == null) {
					next = children.size();
					children.add(new TreeMap<>());
					children.get(state).put(c, next);
				}
				state = next;
			}
			longest = Math.max(longest, word.folded().length());
			Word known = ends.get(state);
			if (known == null || (word.block() && !known.block())) {
				ends.put(state, word); // the same word in a block and a mask list: block
										// wins
			}
		}
		int size = children.size();
		char[][] labels = new char[size][];
		int[][] targets = new int[size][];
		for (int state = 0; state < size; state++) {
			TreeMap<Character, Integer> edges = children.get(state);
			labels[state] = edges.isEmpty() ? NO_LABELS : new char[edges.size()];
			targets[state] = edges.isEmpty() ? NO_TARGETS : new int[edges.size()];
			int i = 0;
			for (Map.Entry<Character, Integer> edge : edges.entrySet()) {
				labels[state][i] = edge.getKey();
				targets[state][i] = edge.getValue();
				i++;
			}
		}
		WordAutomaton automaton = new WordAutomaton(labels, targets, longest);
		ends.forEach((state, word) -> {
			automaton.length[state] = word.folded().length();
			automaton.list[state] = word.list();
			automaton.blocks[state] = word.block();
			automaton.startsAWord[state] = TextFolding.isWordChar(word.folded().charAt(0));
		});
		automaton.link();
		return automaton;
	}

	/**
	 * Failure links, hold lengths and output chains, breadth first, so that a state's
	 * failure target is complete before the state.
	 */
	private void link() {
		int[] depth = new int[this.labels.length];
		Deque<Integer> queue = new ArrayDeque<>();
		queue.add(START);
		this.firstOutput[START] = -1;
		while (!queue.isEmpty()) {
			int state = queue.poll();
			if (state != START) {
				int inherited = this.fail[state];
				// A whole word with nothing after it cannot grow: only a suffix may.
				this.hold[state] = (this.labels[state].length > 0) ? depth[state] : this.hold[inherited];
				this.firstOutput[state] = (this.length[state] > 0) ? state : this.firstOutput[inherited];
			}
			for (int i = 0; i < this.labels[state].length; i++) {
				int child = this.targets[state][i];
				depth[child] = depth[state] + 1;
				this.fail[child] = (state == START) ? START : next(this.fail[state], this.labels[state][i]);
				queue.add(child);
			}
		}
	}

	/**
	 * The state after one more folded char.
	 * @param state the current state
	 * @param c the char
	 * @return the next state
	 */
	int next(int state, char c) {
		int current = state;
		while (true) {
			int found = Arrays.binarySearch(this.labels[current], c);
			if (found >= 0) {
				return this.targets[current][found];
			}
			if (current == START) {
				return START;
			}
			current = this.fail[current];
		}
	}

	/**
	 * How many of the last folded chars may still become part of a hit: the depth of the
	 * state, or, for a state that no char extends (a whole word at a leaf), of the
	 * longest suffix that can.
	 * @param state the state
	 * @return 0 at the start state
	 */
	int hold(int state) {
		return this.hold[state];
	}

	/**
	 * The first word ending at this state (the longest), to walk with
	 * {@link #nextOutput}.
	 * @param state the state
	 * @return an output state, or -1 when no word ends here
	 */
	int firstOutput(int state) {
		return this.firstOutput[state];
	}

	/**
	 * The next shorter word ending at the same place.
	 * @param output an output state
	 * @return the next output state, or -1
	 */
	int nextOutput(int output) {
		return this.firstOutput[this.fail[output]];
	}

	/**
	 * The length of the word of an output state.
	 * @param output the output state
	 * @return folded chars
	 */
	int length(int output) {
		return this.length[output];
	}

	/**
	 * The list of the word of an output state.
	 * @param output the output state
	 * @return the list index
	 */
	int list(int output) {
		return this.list[output];
	}

	/**
	 * Whether the word of an output state blocks.
	 * @param output the output state
	 * @return {@code true} for a block list's word
	 */
	boolean blocks(int output) {
		return this.blocks[output];
	}

	/**
	 * Whether the word of an output state must start a word: it starts with a letter or
	 * digit of a script written with spaces (Latin, Greek, Cyrillic), so {@code ass} does
	 * not hit inside {@code class} and {@code bad} does not hit across
	 * {@code grab a dog}.
	 * @param output the output state
	 * @return {@code true} when a hit needs a word start before it
	 */
	boolean startsAWord(int output) {
		return this.startsAWord[output];
	}

	/**
	 * The length of the longest word.
	 * @return folded chars
	 */
	int longestWord() {
		return this.longestWord;
	}

}
