package io.chatrelay.provider.model;

import java.util.concurrent.CompletableFuture;

/**
 * The port every LLM vendor adapter implements. Adapters know their vendor's wire format
 * and map every failure to a {@link io.chatrelay.api.ChatException} once; nothing outside
 * the adapter's package sees vendor types.
 */
public interface ChatModel {

	/**
	 * The vendor name used in replies, metrics and routing ({@code chatgpt},
	 * {@code chatglm}, {@code ernie}).
	 * @return the vendor name
	 */
	String vendor();

	/**
	 * Whether this adapter has the credentials it needs. An unconfigured vendor fails
	 * every call with {@code UNAUTHORIZED} at once; the router passes over it rather than
	 * end a fallback chain on it.
	 * @return {@code true} when calls can reach the vendor
	 */
	default boolean configured() {
		return true;
	}

	/**
	 * Ask for a whole answer.
	 * @param request the question
	 * @return the answer, completed exceptionally with a
	 * {@link io.chatrelay.api.ChatException} on failure
	 */
	CompletableFuture<ModelResponse> call(ModelRequest request);

	/**
	 * Stream an answer. The listener receives deltas in order, then exactly one of
	 * {@link ModelStreamListener#onComplete} or {@link ModelStreamListener#onError}.
	 * @param request the question
	 * @param listener receives the stream
	 * @return a handle that cancels the upstream call
	 */
	ModelStream stream(ModelRequest request, ModelStreamListener listener);

}
