package io.chatrelay.provider.filter;

import java.util.List;
import java.util.Set;

/**
 * One word list: its words, the tenants it applies to and what a hit does.
 *
 * @param name the list's name, in metrics and logs
 * @param tenants tenant ids, or {@value #ALL_TENANTS} for every tenant
 * @param action block or mask
 * @param message what a blocked user is told; {@code null} for a mask list
 * @param words the words, as written (folded when compiled)
 */
public record WordList(String name, Set<String> tenants, FilterAction action, String message, List<String> words) {

	/** The tenant entry that means every tenant. */
	public static final String ALL_TENANTS = "*";

	/** The longest word, in folded chars: bounds what a stream holds back. */
	static final int MAX_WORD_LENGTH = 64;

	/**
	 * Validate and copy.
	 * @param name name
	 * @param tenants tenants
	 * @param action action
	 * @param message message
	 * @param words words
	 * @throws InvalidWordListException naming the list and the problem (never a word)
	 */
	public WordList {
		if (name == null || name.isBlank()) {
			throw new InvalidWordListException("every list needs a name");
		}
		name = name.strip();
		String list = "list '" + name + "': ";
		if (tenants == null || tenants.isEmpty() || tenants.stream().anyMatch((t) -> t == null || t.isBlank())) {
			throw new InvalidWordListException(list + "tenants must name at least one tenant, or \"*\"");
		}
		tenants = Set.copyOf(tenants.stream().map(String::strip).toList());
		if (action == null) {
			throw new InvalidWordListException(list + "action must be block or mask");
		}
		if (action == FilterAction.BLOCK && (message == null || message.isBlank())) {
			throw new InvalidWordListException(list + "a block list needs a message for the user");
		}
		if (words == null || words.isEmpty()) {
			throw new InvalidWordListException(list + "words must list at least one word");
		}
		for (int i = 0; i < words.size(); i++) {
			String word = words.get(i);
			int length = (word != null) ? TextFolding.fold(word).length() : 0;
			if (length == 0) {
				throw new InvalidWordListException(list + "word " + (i + 1)
						+ " has no letters or digits (white space, punctuation and symbols are skipped)");
			}
			if (length > MAX_WORD_LENGTH) {
				throw new InvalidWordListException(
						list + "word " + (i + 1) + " is longer than " + MAX_WORD_LENGTH + " letters");
			}
		}
		words = List.copyOf(words);
		message = (message != null && !message.isBlank()) ? message.strip() : null;
	}

	/**
	 * Whether the list applies to a tenant.
	 * @param tenant the tenant id
	 * @return {@code true} if it names the tenant or {@value #ALL_TENANTS}
	 */
	boolean appliesTo(String tenant) {
		return this.tenants.contains(ALL_TENANTS) || this.tenants.contains(tenant);
	}

	@Override
	public String toString() {
		// Never the words: logs show names and sizes only.
		int size = this.words.size();
		return this.name + "(" + this.action.tag() + ", " + size + ((size == 1) ? " word" : " words") + ", tenants "
				+ this.tenants + ")";
	}

}
