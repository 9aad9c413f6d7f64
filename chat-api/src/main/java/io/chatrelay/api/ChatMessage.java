package io.chatrelay.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who said it, as a {@link ChatRole#wireName()} ({@code system},
 * {@code user}, {@code assistant})
 * @param content the text, never {@code null}
 */
public record ChatMessage(String role, String content) implements Serializable {

	/**
	 * Validate the components.
	 * @param role who said it
	 * @param content the text
	 */
	public ChatMessage {
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(content, "content");
	}

	/**
	 * A message from a known role.
	 * @param role who said it
	 * @param content the text
	 */
	public ChatMessage(ChatRole role, String content) {
		this(role.wireName(), content);
	}

	/**
	 * The role as an enum.
	 * @return the role
	 * @throws IllegalArgumentException if a newer peer sent a role this version does not
	 * know
	 */
	public ChatRole roleType() {
		return ChatRole.of(this.role);
	}

	/**
	 * A system message.
	 * @param content the text
	 * @return the message
	 */
	public static ChatMessage system(String content) {
		return new ChatMessage(ChatRole.SYSTEM, content);
	}

	/**
	 * A user message.
	 * @param content the text
	 * @return the message
	 */
	public static ChatMessage user(String content) {
		return new ChatMessage(ChatRole.USER, content);
	}

	/**
	 * An assistant message.
	 * @param content the text
	 * @return the message
	 */
	public static ChatMessage assistant(String content) {
		return new ChatMessage(ChatRole.ASSISTANT, content);
	}

}
