package io.chatrelay.provider.model;

import java.util.Objects;

import io.chatrelay.api.TokenUsage;

/**
 * A vendor-neutral whole answer.
 *
 * @param text the reply
 * @param model the model the vendor says answered
 * @param finishReason the vendor's finish reason, lower case
 * @param usage tokens billed
 */
public record ModelResponse(String text, String model, String finishReason, TokenUsage usage) {

	/**
	 * Validate.
	 * @param text text
	 * @param model model
	 * @param finishReason finish reason
	 * @param usage usage
	 */
	public ModelResponse {
		Objects.requireNonNull(text, "text");
		Objects.requireNonNull(model, "model");
		finishReason = Objects.requireNonNullElse(finishReason, "stop");
		usage = Objects.requireNonNullElse(usage, TokenUsage.UNKNOWN);
	}

}
