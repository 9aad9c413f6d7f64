package io.chatrelay.client.conversation;

import java.util.Objects;

/**
 * One question and its answer, the unit of conversation context.
 *
 * @param user what the user said
 * @param assistant what the model answered
 */
public record Turn(String user, String assistant) {

	/**
	 * Validate.
	 * @param user the question
	 * @param assistant the answer
	 */
	public Turn {
		Objects.requireNonNull(user, "user");
		Objects.requireNonNull(assistant, "assistant");
	}

}
