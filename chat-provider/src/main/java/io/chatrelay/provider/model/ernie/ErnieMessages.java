package io.chatrelay.provider.model.ernie;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRole;

/**
 * Shapes a conversation into what ERNIE accepts (pure functions, shared by v1 and v2).
 *
 * <p>
 * ERNIE rejects {@code messages} unless they are non-empty, of odd count, {@code user} at
 * odd positions (1st, 3rd, …) and {@code assistant} at even ones, so the last is a user
 * message; the system prompt travels separately (v1 top-level {@code system}, v2 one
 * leading {@code system} message). Our context store does not guarantee that shape (a
 * failed turn leaves two user messages in a row, a trimmed window may start with an
 * answer), so {@link #normalise(List)} repairs it instead of letting the vendor answer
 * 336003.
 */
final class ErnieMessages {

	private ErnieMessages() {
	}

	/**
	 * The system prompt: the contents of every non-blank {@code system} message, oldest
	 * first, joined with {@code "\n"}.
	 * @param messages the conversation
	 * @return the prompt, or {@code null} when there is none
	 */
	static String system(List<ChatMessage> messages) {
		StringJoiner joined = new StringJoiner("\n");
		boolean any = false;
		for (ChatMessage message : messages) {
			if (message.roleType() == ChatRole.SYSTEM && !message.content().isBlank()) {
				joined.add(message.content());
				any = true;
			}
		}
		return any ? joined.toString() : null;
	}

	/**
	 * The user/assistant turns in the shape ERNIE requires, without a length limit.
	 * @param messages the conversation, oldest first
	 * @return see {@link #normalise(List, int)}
	 * @throws IllegalArgumentException for a role this version does not know
	 */
	static List<ChatMessage> normalise(List<ChatMessage> messages) {
		return normalise(messages, Integer.MAX_VALUE);
	}

	/**
	 * The user/assistant turns in the shape ERNIE requires. In order:
	 * <ol>
	 * <li>{@code system} messages are left out (see {@link #system(List)}), as are
	 * messages with blank content (ERNIE rejects empty content);</li>
	 * <li>consecutive messages of the same role are merged into one, their contents
	 * joined with {@code "\n"};</li>
	 * <li>leading {@code assistant} messages are dropped, so the first is a user
	 * message;</li>
	 * <li>trailing {@code assistant} messages are dropped, so the last is a user
	 * message;</li>
	 * <li>while the contents exceed {@code maxChars} characters and more than one message
	 * is left, the oldest user/assistant pair is dropped.</li>
	 * </ol>
	 * The result alternates user/assistant, starting and ending with a user message, so
	 * its size is odd; it is empty when the conversation holds no user text.
	 * @param messages the conversation, oldest first
	 * @param maxChars the budget for the sum of the contents' lengths
	 * @return a new unmodifiable list
	 * @throws IllegalArgumentException for a role this version does not know
	 */
	static List<ChatMessage> normalise(List<ChatMessage> messages, int maxChars) {
		List<Turn> turns = new ArrayList<>();
		for (ChatMessage message : messages) {
			ChatRole role = message.roleType();
			if (role == ChatRole.SYSTEM || message.content().isBlank()) {
				continue;
			}
			Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
			if (last != null && last.role == role) {
				last.text.append('\n').append(message.content());
			}
			else if (role == ChatRole.USER || !turns.isEmpty()) {
				turns.add(new Turn(role, message.content()));
			}
		}
		while (!turns.isEmpty() && turns.get(turns.size() - 1).role == ChatRole.ASSISTANT) {
			turns.remove(turns.size() - 1);
		}
		long length = turns.stream().mapToLong((turn) -> turn.text.length()).sum();
		while (length > maxChars && turns.size() > 1) {
			length -= turns.remove(0).text.length();
			length -= turns.remove(0).text.length();
		}
		return turns.stream().map((turn) -> new ChatMessage(turn.role, turn.text.toString())).toList();
	}

	/**
	 * A message being merged.
	 */
	private static final class Turn {

		private final ChatRole role;

		private final StringBuilder text;

		Turn(ChatRole role, String text) {
			this.role = role;
			this.text = new StringBuilder(text);
		}

	}

}
