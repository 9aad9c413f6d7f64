package io.chatrelay.client.conversation;

import java.util.ArrayList;
import java.util.List;

import io.chatrelay.api.ChatMessage;

/**
 * Builds what the model sees: the system prompt, the last {@code maxTurns} turns, then
 * the new question. A window always starts with a user message and alternates, which is
 * what the strictest vendor (ERNIE v1) requires.
 */
public final class ContextWindow {

	private final String systemPrompt;

	private final int maxTurns;

	/**
	 * Create a window.
	 * @param systemPrompt prepended when not blank
	 * @param maxTurns how many earlier turns to keep, 0 for none
	 */
	public ContextWindow(String systemPrompt, int maxTurns) {
		if (maxTurns < 0) {
			throw new IllegalArgumentException("maxTurns must not be negative");
		}
		this.systemPrompt = (systemPrompt != null) ? systemPrompt.strip() : "";
		this.maxTurns = maxTurns;
	}

	/**
	 * The messages for one request.
	 * @param history earlier turns, oldest first (may hold more than the window)
	 * @param question the new user message
	 * @return the messages, oldest first
	 */
	public List<ChatMessage> messages(List<Turn> history, String question) {
		List<Turn> recent = history.subList(Math.max(0, history.size() - this.maxTurns), history.size());
		List<ChatMessage> messages = new ArrayList<>(recent.size() * 2 + 2);
		if (!this.systemPrompt.isEmpty()) {
			messages.add(ChatMessage.system(this.systemPrompt));
		}
		for (Turn turn : recent) {
			messages.add(ChatMessage.user(turn.user()));
			messages.add(ChatMessage.assistant(turn.assistant()));
		}
		messages.add(ChatMessage.user(question));
		return messages;
	}

	/**
	 * How many turns the window keeps.
	 * @return the window size in turns
	 */
	public int maxTurns() {
		return this.maxTurns;
	}

}
