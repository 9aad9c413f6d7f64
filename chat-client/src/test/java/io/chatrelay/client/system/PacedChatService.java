package io.chatrelay.client.system;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.ChatService;
import io.chatrelay.api.TokenUsage;
import org.apache.dubbo.common.stream.StreamObserver;
import org.apache.dubbo.rpc.RpcContext;

/**
 * A provider-side {@link ChatService} paced like the load tool's S3 model: the first
 * token after {@code firstTokenMillis}, then {@code tokens - 1} more
 * {@code intervalMillis} apart (S3: 1 s, 41 tokens, 100 ms: 5 s). Unary calls answer once
 * the same time has passed. Tokens are sent from a small scheduler, as a vendor's HTTP
 * client threads would.
 */
final class PacedChatService implements ChatService, AutoCloseable {

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "paced-model");
		thread.setDaemon(true);
		return thread;
	});

	private final long firstTokenMillis;

	private final int tokens;

	private final long intervalMillis;

	private final AtomicInteger streamsOpen = new AtomicInteger();

	private final Map<String, Integer> callerPorts = new ConcurrentHashMap<>();

	PacedChatService(long firstTokenMillis, int tokens, long intervalMillis) {
		this.firstTokenMillis = firstTokenMillis;
		this.tokens = tokens;
		this.intervalMillis = intervalMillis;
	}

	/** Streams started and not yet completed, on the provider's side. */
	int streamsOpen() {
		return this.streamsOpen.get();
	}

	long answerMillis() {
		return this.firstTokenMillis + (this.tokens - 1) * this.intervalMillis;
	}

	@Override
	public ChatReply chat(ChatRequest request) {
		return chatAsync(request).join();
	}

	@Override
	public CompletableFuture<ChatReply> chatAsync(ChatRequest request) {
		recordCaller(request);
		CompletableFuture<ChatReply> reply = new CompletableFuture<>();
		this.scheduler.schedule(
				() -> reply.complete(new ChatReply("answer to " + request.requestId(), "stand-in", "paced",
						ChatRoute.PRIMARY, "stop", new TokenUsage(1, this.tokens, this.tokens + 1), answerMillis())),
				answerMillis(), TimeUnit.MILLISECONDS);
		return reply;
	}

	/**
	 * The consumer-side port of the connection each call came on, by request id.
	 * @return request id to port
	 */
	Map<String, Integer> callerPorts() {
		return Map.copyOf(this.callerPorts);
	}

	private void recordCaller(ChatRequest request) {
		InetSocketAddress caller = RpcContext.getServiceContext().getRemoteAddress();
		if (caller != null) {
			this.callerPorts.put(request.requestId(), caller.getPort());
		}
	}

	@Override
	public void chatStream(ChatRequest request, StreamObserver<ChatChunk> observer) {
		recordCaller(request);
		this.streamsOpen.incrementAndGet();
		sendToken(observer, 0, this.firstTokenMillis);
	}

	private void sendToken(StreamObserver<ChatChunk> observer, int index, long delayMillis) {
		this.scheduler.schedule(() -> {
			if (index < this.tokens - 1) {
				observer.onNext(ChatChunk.delta("token" + index + " "));
				sendToken(observer, index + 1, this.intervalMillis);
			}
			else {
				observer.onNext(new ChatChunk("end", "stop", new TokenUsage(1, this.tokens, this.tokens + 1),
						"stand-in", "paced", ChatRoute.PRIMARY));
				observer.onCompleted();
				this.streamsOpen.decrementAndGet();
			}
		}, delayMillis, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
