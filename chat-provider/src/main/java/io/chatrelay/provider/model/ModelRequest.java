package io.chatrelay.provider.model;

import java.util.List;
import java.util.Objects;

import io.chatrelay.api.ChatMessage;

/**
 * A vendor-neutral model call.
 *
 * @param messages system prompt, context and the new user message, oldest first
 * @param model the vendor's model name, or {@code null} for the adapter's configured one
 * @param temperature sampling temperature, or {@code null} for the vendor default
 * @param maxTokens reply length bound, or {@code null} for the vendor default
 * @param user an opaque end-user id for the vendor's abuse tracking, or {@code null}
 */
public record ModelRequest(List<ChatMessage> messages, String model, Double temperature, Integer maxTokens,
		String user) {

	/**
	 * Validate and copy.
	 * @param messages messages
	 * @param model model
	 * @param temperature temperature
	 * @param maxTokens max tokens
	 * @param user user
	 */
	public ModelRequest {
		messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
	}

	/**
	 * The temperature moved into a vendor's accepted range, so that a fallback or degrade
	 * target does not reject a value the primary accepts (OpenAI takes 0–2, Zhipu and
	 * ERNIE at most 1).
	 * @param min the vendor's lowest accepted value
	 * @param max the vendor's highest accepted value
	 * @return the clamped temperature, or {@code null} when none was asked for
	 */
	public Double temperatureWithin(double min, double max) {
		return (this.temperature != null) ? Math.min(max, Math.max(min, this.temperature)) : null;
	}

}
