package io.chatrelay.provider.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatOptions;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.ChatService;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.caller.CallerGate;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.resilience.Failures;
import io.chatrelay.provider.routing.ModelRouter;
import io.chatrelay.provider.routing.RoutedStreamListener;
import org.apache.dubbo.common.stream.StreamObserver;
import org.apache.dubbo.config.annotation.DubboService;
import org.apache.dubbo.remoting.http12.h2.Http2CancelableStreamObserver;

/**
 * {@link ChatService} over Triple: turns contract requests into routed model calls and
 * the results into replies. The only place that bridges to Dubbo's
 * {@link StreamObserver}. Every call passes the {@link CallerGate} first.
 */
@DubboService(interfaceClass = ChatService.class, timeout = ChatServiceImpl.TIMEOUT_MILLIS, retries = 0)
public class ChatServiceImpl implements ChatService {

	/** Longer than any vendor's total timeout, so the vendor's own timeout wins. */
	static final int TIMEOUT_MILLIS = 130_000;

	private final ModelRouter router;

	private final CallerGate gate;

	public ChatServiceImpl(ModelRouter router, CallerGate gate) {
		this.router = router;
		this.gate = gate;
	}

	@Override
	public ChatReply chat(ChatRequest request) {
		try {
			return chatAsync(request).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChatException(ChatErrorCode.UNAVAILABLE, "Interrupted while waiting for the model");
		}
		catch (ExecutionException ex) {
			throw Failures.forConsumer(ex.getCause());
		}
	}

	@Override
	public CompletableFuture<ChatReply> chatAsync(ChatRequest request) {
		long started = System.nanoTime();
		try {
			this.gate.admit(request);
		}
		catch (ChatException refused) {
			return CompletableFuture.failedFuture(refused);
		}
		return this.router.call(toModelRequest(request))
			.thenApply((routed) -> new ChatReply(routed.response().text(), routed.vendor(), routed.response().model(),
					routed.route(), routed.response().finishReason(), routed.response().usage(),
					(System.nanoTime() - started) / 1_000_000))
			.exceptionallyCompose((error) -> CompletableFuture.failedFuture(Failures.forConsumer(error)));
	}

	@Override
	public void chatStream(ChatRequest request, StreamObserver<ChatChunk> observer) {
		try {
			this.gate.admit(request);
		}
		catch (ChatException refused) {
			observer.onNext(ChatChunk.failure(refused));
			observer.onCompleted();
			return;
		}
		ModelStream stream = this.router.stream(toModelRequest(request), new RoutedStreamListener() {

			@Override
			public void onDelta(String text) {
				observer.onNext(ChatChunk.delta(text));
			}

			@Override
			public void onComplete(String vendor, ChatRoute route, String model, String finishReason,
					TokenUsage usage) {
				observer.onNext(new ChatChunk("", finishReason, usage, vendor, model, route));
				observer.onCompleted();
			}

			@Override
			public void onError(ChatException error) {
				// In-band, so the consumer gets the ChatErrorCode (see ChatChunk).
				observer.onNext(ChatChunk.failure(error));
				observer.onCompleted();
			}

		});
		if (observer instanceof Http2CancelableStreamObserver<?> cancelable
				&& cancelable.getCancellationContext() != null) {
			cancelable.getCancellationContext().addListener((context) -> stream.cancel());
		}
	}

	private static ModelRequest toModelRequest(ChatRequest request) {
		ChatOptions options = request.options();
		String model = ChatOptions.DEFAULT_MODEL.equals(options.model()) ? null : options.model();
		return new ModelRequest(request.messages(), model, options.temperature(), options.maxTokens(),
				request.attributes().get(ChatRequest.ATTR_USER_ID));
	}

}
