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

	private final int[] blockList;

	private final int[] maskLength;

	private final int[] maskList;

	private final int longestWord;

	private WordAutomaton(char[][] labels, int[][] targets, int[] fail, int[] hold, int[] blockList, int[] maskLength,
			int[] maskList, int longestWord) {
		this.labels = labels;
		this.targets = targets;
		this.fail = fail;
		this.hold = hold;
		this.blockList = blockList;
		this.maskLength = maskLength;
		this.maskList = maskList;
		this.longestWord = longestWord;
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
		List<Integer> depths = new ArrayList<>();
		children.add(new TreeMap<>());
		depths.add(0);
		Map<Integer, Integer> ownBlock = new TreeMap<>();
		Map<Integer, int[]> ownMask = new TreeMap<>();
		int longest = 0;
		for (Word word : words) {
			int state = START;
			for (int i = 0; i < word.folded().length(); i++) {
				char c = word.folded().charAt(i);
				Integer next = children.get(state).get(c);
				if (next == null) {
					next = children.size();
					children.add(new TreeMap<>());
					depths.add(depths.get(state) + 1);
					children.get(state).put(c, next);
				}
				state = next;
			}
			longest = Math.max(longest, word.folded().length());
			if (word.block()) {
				ownBlock.putIfAbsent(state, word.list());
			}
			else {
				ownMask.putIfAbsent(state, new int[] { word.folded().length(), word.list() });
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
		int[] depth = depths.stream().mapToInt(Integer::intValue).toArray();
		int[] fail = new int[size];
		int[] hold = new int[size];
		int[] blockList = new int[size];
		int[] maskLength = new int[size];
		int[] maskList = new int[size];
		Arrays.fill(blockList, -1);
		Arrays.fill(maskList, -1);
		WordAutomaton automaton = new WordAutomaton(labels, targets, fail, hold, blockList, maskLength, maskList,
				longest);
		// Breadth first, so a state's failure target is complete before the state.
		Deque<Integer> queue = new ArrayDeque<>();
		queue.add(START);
		while (!queue.isEmpty()) {
			int state = queue.poll();
			if (state != START) {
				int inherited = fail[state];
				// A whole word with nothing after it cannot grow: only a suffix may.
				hold[state] = (labels[state].length > 0) ? depth[state] : hold[inherited];
				blockList[state] = ownBlock.getOrDefault(state, blockList[inherited]);
				int[] own = ownMask.get(state);
				if (own != null) {
					maskLength[state] = own[0];
					maskList[state] = own[1];
				}
				else {
					maskLength[state] = maskLength[inherited];
					maskList[state] = maskList[inherited];
				}
			}
			for (int i = 0; i < labels[state].length; i++) {
				int child = targets[state][i];
				fail[child] = (state == START) ? START : automaton.next(fail[state], labels[state][i]);
				queue.add(child);
			}
		}
		return automaton;
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
	 * The block list with a word ending at this state.
	 * @param state the state
	 * @return the list index, or -1
	 */
	int blockList(int state) {
		return this.blockList[state];
	}

	/**
	 * The length of the longest mask word ending at this state.
	 * @param state the state
	 * @return folded chars, 0 for none
	 */
	int maskLength(int state) {
		return this.maskLength[state];
	}

	/**
	 * The list of the longest mask word ending at this state.
	 * @param state the state
	 * @return the list index, or -1
	 */
	int maskList(int state) {
		return this.maskList[state];
	}

	/**
	 * The length of the longest word.
	 * @return folded chars
	 */
	int longestWord() {
		return this.longestWord;
	}

}
