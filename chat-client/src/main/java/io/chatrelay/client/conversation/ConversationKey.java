package io.chatrelay.client.conversation;

import java.util.Objects;

/**
 * Builds a conversation id from its parts (channel, app, group, user, the caller's own
 * id) so that no two different lists of parts give the same id: each part's {@code %} and
 * {@code :} are percent-encoded before the parts are joined with {@code :}. Concatenated,
 * the web pairs (user {@code a:b}, conversation {@code c}) and (user {@code a},
 * conversation {@code b:c}) shared one context. Parts without {@code %} or {@code :}
 * (every platform id seen, every web id without a colon) come out as before, so existing
 * contexts keep their keys.
 */
public final class ConversationKey {

	private ConversationKey() {
	}

	/**
	 * The conversation id of these parts.
	 * @param parts the parts, in order; none {@code null}
	 * @return the id
	 */
	public static String of(String... parts) {
		StringBuilder id = new StringBuilder();
		for (String part : parts) {
			Objects.requireNonNull(part, "part");
			if (!id.isEmpty()) {
				id.append(':');
			}
			for (int i = 0; i < part.length(); i++) {
				char c = part.charAt(i);
				switch (c) {
					case '%' -> id.append("%25");
					case ':' -> id.append("%3A");
					default -> id.append(c);
				}
			}
		}
		return id.toString();
	}

}
