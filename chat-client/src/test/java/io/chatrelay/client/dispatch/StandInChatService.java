package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.ChatService;
import io.chatrelay.api.TokenUsage;
import org.apache.dubbo.common.stream.StreamObserver;
import org.apache.dubbo.rpc.RpcException;

/**
 * Stands in for the remote providers behind the Dubbo reference: answers with the
 * question echoed ({@code answer to <question>}) unless told to delay, hold, or fail, and
 * records every request and how many calls were in flight at once.
 */
final class StandInChatService implements ChatService {

	private final Queue<ChatRequest> requests = new ConcurrentLinkedQueue<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private volatile Function<ChatRequest, CompletableFuture<ChatReply>> behaviour = StandInChatService::echo;

	private volatile CompletableFuture<Void> gate = new CompletableFuture<>();

	/**
	 * Answer every following call this way.
	 * @param behaviour the answer to a request (may throw, as Dubbo's proxy does when it
	 * has no provider)
	 */
	void behave(Function<ChatRequest, CompletableFuture<ChatReply>> behaviour) {
		this.behaviour = behaviour;
	}

	/**
	 * Keep every following call waiting until {@link #release()}.
	 */
	void hold() {
		CompletableFuture<Void> held = new CompletableFuture<>();
		this.gate = held;
		behave((request) -> held.thenApply((ignored) -> reply(request)));
	}

	/**
	 * Answer the held calls and every following one at once.
	 */
	void release() {
		behave(StandInChatService::echo);
		this.gate.complete(null);
	}

	List<ChatRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * The requests for one message.
	 * @param messageId the platform message id
	 * @return its requests, in call order
	 */
	List<ChatRequest> requestsFor(String messageId) {
		return this.requests.stream()
			.filter((request) -> request.requestId().equals(RecordingPlatform.CHANNEL + ":" + messageId))
			.toList();
	}

	int inFlight() {
		return this.inFlight.get();
	}

	int maxInFlight() {
		return this.maxInFlight.get();
	}

	@Override
	public ChatReply chat(ChatRequest request) {
		return chatAsync(request).join();
	}

	@Override
	public CompletableFuture<ChatReply> chatAsync(ChatRequest request) {
		this.requests.add(request);
		CompletableFuture<ChatReply> answer = this.behaviour.apply(request);
		this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
		// A call stops counting before its caller sees the answer (and may start
		// another).
		CompletableFuture<ChatReply> seen = new CompletableFuture<>();
		answer.whenComplete((reply, failure) -> {
			this.inFlight.decrementAndGet();
			if (failure != null) {
				seen.completeExceptionally(failure);
			}
			else {
				seen.complete(reply);
			}
		});
		return seen;
	}

	@Override
	public void chatStream(ChatRequest request, StreamObserver<ChatChunk> observer) {
		observer.onError(new UnsupportedOperationException("the inbox asks with chatAsync"));
	}

	/**
	 * Answer at once.
	 * @param request the request
	 * @return {@code answer to <the last user message>}
	 */
	static CompletableFuture<ChatReply> echo(ChatRequest request) {
		return CompletableFuture.completedFuture(reply(request));
	}

	/**
	 * Answer after a delay, without blocking the caller.
	 * @param delay the delay
	 * @return the behaviour
	 */
	static Function<ChatRequest, CompletableFuture<ChatReply>> after(Duration delay) {
		return (request) -> CompletableFuture.supplyAsync(() -> reply(request),
				CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
	}

	/**
	 * What Dubbo's proxy does when no provider is registered or all are filtered out:
	 * throw at once, before any call is made.
	 * @param request the request
	 * @return never
	 */
	static CompletableFuture<ChatReply> noProvider(ChatRequest request) {
		throw new RpcException(RpcException.NO_INVOKER_AVAILABLE_AFTER_FILTER,
				"No provider available for the service io.chatrelay.api.ChatService");
	}

	/**
	 * Fail the call asynchronously.
	 * @param failure the failure
	 * @return the behaviour
	 */
	static Function<ChatRequest, CompletableFuture<ChatReply>> failing(RuntimeException failure) {
		return (request) -> CompletableFuture.failedFuture(failure);
	}

	static String answerTo(String question) {
		return "answer to " + question;
	}

	private static ChatReply reply(ChatRequest request) {
		List<ChatMessage> messages = request.messages();
		return new ChatReply(answerTo(messages.get(messages.size() - 1).content()), "stand-in", "stand-in-1",
				ChatRoute.PRIMARY, "stop", TokenUsage.UNKNOWN, 1);
	}

}
