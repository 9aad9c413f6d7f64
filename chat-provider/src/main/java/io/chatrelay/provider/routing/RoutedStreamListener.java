package io.chatrelay.provider.routing;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;

/**
 * Receives a routed stream: deltas in order, then exactly one of {@link #onComplete} or
 * {@link #onError}.
 */
public interface RoutedStreamListener {

	/**
	 * A piece of text.
	 * @param text the delta
	 */
	void onDelta(String text);

	/**
	 * The stream ended normally.
	 * @param vendor the vendor that answered
	 * @param route how it was chosen
	 * @param model the model that answered
	 * @param finishReason the finish reason
	 * @param usage tokens billed
	 */
	void onComplete(String vendor, ChatRoute route, String model, String finishReason, TokenUsage usage);

	/**
	 * The stream failed.
	 * @param error a plain {@link ChatException}, safe to send to consumers
	 */
	void onError(ChatException error);

}
