package io.chatrelay.standalone.standin;

import java.util.List;
import java.util.Objects;

/**
 * A parsed chat request, vendor format removed.
 *
 * @param model the model the caller asked for (Qianfan v1: the endpoint name)
 * @param turns the conversation, oldest first
 * @param stream whether the caller asked for a stream
 * @param includeUsage whether a stream should end with a usage chunk (OpenAI
 * {@code stream_options.include_usage})
 * @param requestId the caller's own request id (Zhipu {@code request_id}), or
 * {@code null}
 */
record ChatCall(String model, List<ChatTurn> turns, boolean stream, boolean includeUsage, String requestId) {

	ChatCall {
		Objects.requireNonNull(model, "model");
		turns = List.copyOf(turns);
	}

	ChatCall(String model, List<ChatTurn> turns, boolean stream, boolean includeUsage) {
		this(model, turns, stream, includeUsage, null);
	}

}
