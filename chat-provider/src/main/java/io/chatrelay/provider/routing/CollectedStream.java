package io.chatrelay.provider.routing;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;

/**
 * A whole answer asked for as a stream and collected: the deltas joined, then the model,
 * finish reason and usage of {@code onComplete}. The router asks every vendor this way,
 * even for a whole answer, because only a stream shows early whether the vendor is
 * working: a stream's {@code first-token-timeout} fails a hanging vendor after seconds,
 * while a unary answer's headers only arrive once the whole answer is generated (so a
 * unary call could only give up at {@code total-timeout}).
 *
 * <p>
 * Cancelling the future cancels the stream.
 */
final class CollectedStream implements ModelStreamListener {

	private final StringBuilder text = new StringBuilder();

	private final CompletableFuture<ModelResponse> answer = new CompletableFuture<>();

	private CollectedStream() {
	}

	/**
	 * Stream an answer from a model and collect it.
	 * @param model the vendor to ask
	 * @param request the question
	 * @return the whole answer, failing with the stream's {@link ChatException};
	 * cancelling it cancels the stream
	 */
	static CompletableFuture<ModelResponse> collect(ChatModel model, ModelRequest request) {
		CollectedStream collected = new CollectedStream();
		ModelStream stream;
		try {
			stream = model.stream(request, collected);
		}
		catch (RuntimeException ex) {
			collected.answer.completeExceptionally(ex);
			return collected.answer;
		}
		collected.answer.whenComplete((response, failure) -> {
			if (failure instanceof CancellationException) {
				stream.cancel();
			}
		});
		return collected.answer;
	}

	@Override
	public void onDelta(String text) {
		this.text.append(text);
	}

	@Override
	public void onComplete(String model, String finishReason, TokenUsage usage) {
		try {
			this.answer.complete(new ModelResponse(this.text.toString(), model, finishReason, usage));
		}
		catch (RuntimeException ex) {
			this.answer.completeExceptionally(
					new ChatException(ChatErrorCode.UNAVAILABLE, "The vendor's stream ended without a model name"));
		}
	}

	@Override
	public void onError(ChatException error) {
		this.answer.completeExceptionally(error);
	}

}
