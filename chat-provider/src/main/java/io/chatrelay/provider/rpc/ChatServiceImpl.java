package io.chatrelay.provider.rpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatOptions;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.api.ChatService;
import io.chatrelay.provider.caller.CallerGate;
import io.chatrelay.provider.filter.WordFilter;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.resilience.Failures;
import io.chatrelay.provider.routing.ModelRouter;
import io.chatrelay.provider.routing.RoutedReply;
import org.apache.dubbo.common.stream.StreamObserver;
import org.apache.dubbo.config.annotation.DubboService;
import org.apache.dubbo.rpc.CancellationContext;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.remoting.http12.h2.Http2CancelableStreamObserver;

/**
 * {@link ChatService} over Triple: turns contract requests into routed model calls and
 * the results into replies. The only place that bridges to Dubbo's
 * {@link StreamObserver}. Every call passes the {@link CallerGate} first; then the word
 * filter: the input before routing (a block hit means no vendor call), the answer on its
 * way back.
 */
@DubboService(interfaceClass = ChatService.class, timeout = ChatServiceImpl.TIMEOUT_MILLIS, retries = 0)
public class ChatServiceImpl implements ChatService {

	/** Longer than any vendor's total timeout, so the vendor's own timeout wins. */
	static final int TIMEOUT_MILLIS = 130_000;

	private final ModelRouter router;

	private final WordFilter filter;

	private final CallerGate gate;

	public ChatServiceImpl(ModelRouter router, WordFilter filter, CallerGate gate) {
		this.router = router;
		this.filter = filter;
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
		ModelRequest screened;
		try {
			this.gate.admit(request);
			screened = toModelRequest(request, this.filter.screenInput(request.tenantId(), request.messages()));
		}
		catch (ChatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<RoutedReply> answer = this.router.call(request.tenantId(), screened);
		// Triple gives the invoking thread the call's cancellation context: a caller that
		// gives up (its timeout, a reset stream) stops the vendor's stream too.
		CancellationContext cancellation = RpcContext.getCancellationContext();
		if (cancellation != null && !answer.isDone()) {
			cancellation.addListener((context) -> answer.cancel(false));
		}
		return answer
			.thenApply((routed) -> new ChatReply(this.filter.screenReply(request.tenantId(), routed.response().text()),
					routed.vendor(), routed.response().model(), routed.route(), routed.response().finishReason(),
					routed.response().usage(), (System.nanoTime() - started) / 1_000_000))
			.exceptionallyCompose((error) -> CompletableFuture.failedFuture(Failures.forConsumer(error)));
	}

	@Override
	public void chatStream(ChatRequest request, StreamObserver<ChatChunk> observer) {
		ModelRequest screened;
		try {
			this.gate.admit(request);
			screened = toModelRequest(request, this.filter.screenInput(request.tenantId(), request.messages()));
		}
		catch (ChatException ex) {
			observer.onNext(ChatChunk.failure(ex));
			observer.onCompleted();
			return;
		}
		ScreenedStream listener = new ScreenedStream(this.filter.openStream(request.tenantId()), observer);
		listener.started(this.router.stream(request.tenantId(), screened, listener));
		if (observer instanceof Http2CancelableStreamObserver<?> cancelable
				&& cancelable.getCancellationContext() != null) {
			cancelable.getCancellationContext().addListener((context) -> listener.cancel());
		}
	}

	private static ModelRequest toModelRequest(ChatRequest request, List<ChatMessage> messages) {
		ChatOptions options = request.options();
		String model = ChatOptions.DEFAULT_MODEL.equals(options.model()) ? null : options.model();
		return new ModelRequest(messages, model, options.temperature(), options.maxTokens(),
				request.attributes().get(ChatRequest.ATTR_USER_ID));
	}

}
