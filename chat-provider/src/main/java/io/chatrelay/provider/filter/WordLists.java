package io.chatrelay.provider.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The word lists in force, compiled: one automaton per tenant that a list names, and one
 * for every other tenant (the {@code "*"} lists). Immutable, so scans on any thread share
 * it while a new one is swapped in.
 */
final class WordLists {

	private final boolean enabled;

	private final List<WordList> lists;

	private final WordAutomaton forOthers;

	private final Map<String, WordAutomaton> byTenant;

	private WordLists(boolean enabled, List<WordList> lists, WordAutomaton forOthers,
			Map<String, WordAutomaton> byTenant) {
		this.enabled = enabled;
		this.lists = lists;
		this.forOthers = forOthers;
		this.byTenant = byTenant;
	}

	/**
	 * Check and compile.
	 * @param enabled whether filtering is on
	 * @param lists the lists, names unique
	 * @return the compiled lists
	 * @throws InvalidWordListException if two lists share a name
	 */
	static WordLists compile(boolean enabled, List<WordList> lists) {
		Set<String> names = new HashSet<>();
		Set<String> tenants = new HashSet<>();
		for (WordList list : lists) {
			if (!names.add(list.name())) {
				throw new InvalidWordListException("two lists are named '" + list.name() + "'");
			}
			tenants.addAll(list.tenants());
		}
		tenants.remove(WordList.ALL_TENANTS);
		List<WordList> copy = List.copyOf(lists);
		Map<String, WordAutomaton> byTenant = new HashMap<>();
		for (String tenant : tenants) {
			byTenant.put(tenant, automaton(copy, tenant));
		}
		return new WordLists(enabled, copy, automaton(copy, null), Map.copyOf(byTenant));
	}

	private static WordAutomaton automaton(List<WordList> lists, String tenant) {
		List<WordAutomaton.Word> words = new ArrayList<>();
		for (int index = 0; index < lists.size(); index++) {
			WordList list = lists.get(index);
			boolean applies = (tenant != null) ? list.appliesTo(tenant) : list.tenants().contains(WordList.ALL_TENANTS);
			if (applies) {
				for (String word : list.words()) {
					words.add(
							new WordAutomaton.Word(TextFolding.fold(word), index, list.action() == FilterAction.BLOCK));
				}
			}
		}
		return WordAutomaton.build(words);
	}

	boolean enabled() {
		return this.enabled;
	}

	List<WordList> lists() {
		return this.lists;
	}

	/**
	 * The automaton for a tenant.
	 * @param tenant the tenant id
	 * @return its automaton, or {@code null} when filtering is off or no list applies
	 */
	WordAutomaton forTenant(String tenant) {
		if (!this.enabled) {
			return null;
		}
		WordAutomaton automaton = this.byTenant.getOrDefault(tenant, this.forOthers);
		return (automaton.longestWord() > 0) ? automaton : null;
	}

	@Override
	public String toString() {
		return this.enabled ? this.lists.toString() : "off";
	}

}
