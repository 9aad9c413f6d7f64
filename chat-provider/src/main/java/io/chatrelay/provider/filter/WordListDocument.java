package io.chatrelay.provider.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the word-list document ({@code chat-relay-words.yaml}) strictly, as
 * {@code RoutingDocument} reads routing: an unknown key, a missing message on a block
 * list or a word without letters rejects the whole document, because a half-understood
 * list would let words through or block the wrong people.
 *
 * <pre>
 * enabled: true                # optional, default true: false switches filtering off
 * lists:
 *   - name: banned             # unique; in metrics and logs
 *     tenants: ["*"]           # optional, default ["*"]: every tenant
 *     action: block            # block | mask
 *     message: "I can't help with that."   # block only: what the user is told
 *     words: [foo, "bar baz"]
 * </pre>
 *
 * The document replaces the local lists ({@code chat.provider.filter.lists}) as a whole.
 */
final class WordListDocument {

	private static final Set<String> TOP_LEVEL_KEYS = Set.of("enabled", "lists");

	private static final Set<String> LIST_KEYS = Set.of("name", "tenants", "action", "message", "words");

	private WordListDocument() {
	}

	/**
	 * Parse, validate and compile a document.
	 * @param yaml the document
	 * @return the compiled lists
	 * @throws InvalidWordListException if it is not a valid document
	 */
	static WordLists parse(String yaml) {
		if (yaml == null || yaml.isBlank()) {
			throw new InvalidWordListException("the document is empty");
		}
		Map<?, ?> root = asMap(load(yaml), "the document");
		checkKeys(root, TOP_LEVEL_KEYS, "");
		boolean enabled = true;
		if (root.containsKey("enabled")) {
			if (!(root.get("enabled") instanceof Boolean flag)) {
				throw new InvalidWordListException("enabled must be true or false");
			}
			enabled = flag;
		}
		Object listsValue = root.containsKey("lists") ? root.get("lists") : List.of();
		if (!(listsValue instanceof List<?> items)) {
			throw new InvalidWordListException("lists must be a list of word lists");
		}
		List<WordList> lists = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			lists.add(list(items.get(i), "lists[" + i + "]"));
		}
		return WordLists.compile(enabled, lists);
	}

	private static WordList list(Object value, String where) {
		Map<?, ?> map = asMap(value, where);
		checkKeys(map, LIST_KEYS, where + ".");
		String name = string(map.get("name"), where + ".name");
		Set<String> tenants = map.containsKey("tenants")
				? new LinkedHashSet<>(strings(map.get("tenants"), where + ".tenants")) : Set.of(WordList.ALL_TENANTS);
		FilterAction action = FilterAction.of(string(map.get("action"), where + ".action"));
		String message = map.containsKey("message") ? string(map.get("message"), where + ".message") : null;
		if (action == FilterAction.MASK && message != null) {
			throw new InvalidWordListException(where + ".message: a mask list shows no message");
		}
		return new WordList(name, tenants, action, message, strings(map.get("words"), where + ".words"));
	}

	private static Object load(String yaml) {
		try {
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException ex) {
			String message = (ex.getMessage() != null) ? ex.getMessage().lines().findFirst().orElse("") : "";
			throw new InvalidWordListException("not valid YAML: " + message);
		}
	}

	private static String string(Object value, String field) {
		if (!(value instanceof String text) || text.isBlank()) {
			throw new InvalidWordListException(field + " must be a non-empty string");
		}
		return text;
	}

	private static List<String> strings(Object value, String field) {
		if (!(value instanceof List<?> list)) {
			throw new InvalidWordListException(field + " must be a list of strings");
		}
		List<String> strings = new ArrayList<>();
		for (Object each : list) {
			if (!(each instanceof String text)) {
				throw new InvalidWordListException(field + " must be a list of strings (quote numbers and yes/no)");
			}
			strings.add(text);
		}
		return strings;
	}

	private static Map<?, ?> asMap(Object value, String what) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new InvalidWordListException(what + " must be a mapping");
		}
		return map;
	}

	private static void checkKeys(Map<?, ?> map, Set<String> allowed, String prefix) {
		for (Object key : map.keySet()) {
			if (!allowed.contains(String.valueOf(key))) {
				throw new InvalidWordListException("unknown key '" + prefix + key + "'");
			}
		}
	}

}
