package io.chatrelay.client.conversation;

import io.chatrelay.api.ChatReply;

/**
 * Receives a streamed answer: deltas in order, then exactly one of
 * {@link #onComplete(ChatReply)} or {@link #onError(Throwable)}.
 */
public interface AnswerListener {

	/**
	 * A piece of text to append.
	 * @param text the delta
	 */
	void onDelta(String text);

	/**
	 * The whole answer, after the last delta.
	 * @param reply the answer with who gave it and the usage
	 */
	void onComplete(ChatReply reply);

	/**
	 * The answer failed.
	 * @param error a {@link io.chatrelay.api.ChatException}, a Dubbo {@code RpcException}
	 * or a Redis failure
	 */
	void onError(Throwable error);

}
