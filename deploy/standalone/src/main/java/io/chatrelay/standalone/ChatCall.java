package io.chatrelay.standalone;

import java.util.List;
import java.util.Objects;

/**
 * A parsed chat request, vendor format removed.
 *
 * @param model the model the caller asked for
 * @param turns the conversation, oldest first
 * @param stream whether the caller asked for a stream
 * @param includeUsage whether a stream should end with a usage chunk (OpenAI
 * {@code stream_options.include_usage})
 */
record ChatCall(String model, List<ChatTurn> turns, boolean stream, boolean includeUsage) {

	ChatCall {
		Objects.requireNonNull(model, "model");
		turns = List.copyOf(turns);
	}

}
