package io.chatrelay.provider.model;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;

/**
 * Receives a streamed answer from a {@link ChatModel}. Calls arrive from one thread at a
 * time, in order.
 */
public interface ModelStreamListener {

	/**
	 * A piece of text to append.
	 * @param text never empty
	 */
	void onDelta(String text);

	/**
	 * The stream ended normally.
	 * @param model the model the vendor says answered
	 * @param finishReason the finish reason, lower case
	 * @param usage tokens billed, {@link TokenUsage#UNKNOWN} if the vendor did not say
	 */
	void onComplete(String model, String finishReason, TokenUsage usage);

	/**
	 * The stream failed; no further calls follow.
	 * @param error the mapped error
	 */
	void onError(ChatException error);

}
