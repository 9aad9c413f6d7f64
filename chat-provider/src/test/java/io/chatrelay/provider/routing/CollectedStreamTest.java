package io.chatrelay.provider.routing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectedStreamTest {

	private static final ModelRequest REQUEST = new ModelRequest(List.of(ChatMessage.user("hi")), null, null, null,
			null);

	private final HeldModel model = new HeldModel();

	@Test
	void joinsTheDeltasAndKeepsModelFinishReasonAndUsage() {
		CompletableFuture<ModelResponse> answer = CollectedStream.collect(this.model, REQUEST);
		this.model.listener.get().onDelta("Hel");
		this.model.listener.get().onDelta("lo");
		assertThat(answer).isNotDone();

		this.model.listener.get().onComplete("gpt-4o-mini", "length", new TokenUsage(3, 2, 5));

		assertThat(answer.join())
			.isEqualTo(new ModelResponse("Hello", "gpt-4o-mini", "length", new TokenUsage(3, 2, 5)));
	}

	@Test
	void anAnswerWithoutDeltasIsEmptyText() {
		CompletableFuture<ModelResponse> answer = CollectedStream.collect(this.model, REQUEST);

		this.model.listener.get().onComplete("glm-4", "stop", TokenUsage.UNKNOWN);

		assertThat(answer.join().text()).isEmpty();
	}

	@Test
	void failsWithTheStreamsErrorEvenAfterDeltas() {
		CompletableFuture<ModelResponse> answer = CollectedStream.collect(this.model, REQUEST);
		this.model.listener.get().onDelta("Hel");

		ChatException error = new ChatException(ChatErrorCode.TIMEOUT, "OpenAI sent no stream event within PT30S");
		this.model.listener.get().onError(error);

		assertThatThrownBy(answer::join).cause().isSameAs(error);
	}

	@Test
	void failsWhenTheStreamCannotStart() {
		ChatModel broken = new HeldModel() {
			@Override
			public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
				throw new IllegalStateException("no stream");
			}
		};

		assertThatThrownBy(CollectedStream.collect(broken, REQUEST)::join).cause()
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void cancellingTheAnswerCancelsTheStream() {
		CompletableFuture<ModelResponse> answer = CollectedStream.collect(this.model, REQUEST);

		answer.cancel(false);

		assertThat(this.model.cancelled).isTrue();
	}

	@Test
	void anAnsweredStreamIsNotCancelled() {
		CompletableFuture<ModelResponse> answer = CollectedStream.collect(this.model, REQUEST);
		this.model.listener.get().onComplete("m", "stop", TokenUsage.UNKNOWN);

		answer.cancel(false);

		assertThat(this.model.cancelled).isFalse();
	}

	/**
	 * A vendor whose stream the test drives by hand.
	 */
	private static class HeldModel implements ChatModel {

		final AtomicReference<ModelStreamListener> listener = new AtomicReference<>();

		final AtomicBoolean cancelled = new AtomicBoolean();

		@Override
		public String vendor() {
			return "chatgpt";
		}

		@Override
		public CompletableFuture<ModelResponse> call(ModelRequest request) {
			throw new AssertionError("whole answers are collected from streams");
		}

		@Override
		public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
			this.listener.set(listener);
			return () -> this.cancelled.set(true);
		}

	}

}
