package io.chatrelay.api;

import java.util.concurrent.CompletableFuture;

import org.apache.dubbo.common.stream.StreamObserver;

/**
 * The provider's port, exposed over Dubbo Triple in Java-interface mode.
 *
 * <p>
 * Consumers must reference it with {@code retries=0} (a retry bills the prompt again) and
 * a timeout sized for the slowest model. Every failure arrives as a
 * {@link ChatException}.
 */
public interface ChatService {

	/**
	 * Ask for a whole answer and wait for it.
	 * @param request the question with its context
	 * @return the answer
	 * @throws ChatException when no vendor could answer
	 */
	ChatReply chat(ChatRequest request) throws ChatException;

	/**
	 * Ask for a whole answer without blocking a thread.
	 * @param request the question with its context
	 * @return the answer, completed exceptionally with a {@link ChatException} on failure
	 * @throws ChatException when no vendor could answer
	 */
	CompletableFuture<ChatReply> chatAsync(ChatRequest request) throws ChatException;

	/**
	 * Stream the answer token by token (Triple server streaming). The observer receives
	 * text deltas in order, then one last chunk ({@link ChatChunk#last()}) and
	 * {@code onCompleted}, or {@code onError} with a {@link ChatException}.
	 * @param request the question with its context
	 * @param observer receives the chunks
	 */
	void chatStream(ChatRequest request, StreamObserver<ChatChunk> observer);

}
