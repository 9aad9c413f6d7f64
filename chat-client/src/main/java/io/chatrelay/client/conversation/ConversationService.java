package io.chatrelay.client.conversation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatOptions;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.ChatService;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.client.quota.QuotaExceededException;
import io.chatrelay.client.quota.Quotas;
import org.apache.dubbo.common.stream.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a user's message with its conversation's context: reads the window from Redis,
 * asks a provider, and stores the new turn once the answer is complete. {@code /reset}
 * (or {@code 清除上下文}) forgets the conversation instead. Used by every channel.
 */
public class ConversationService {

	/** Messages that clear the conversation instead of being sent to the model. */
	public static final Set<String> RESET_COMMANDS = Set.of("/reset", "清除上下文");

	/** The answer to a reset command. */
	public static final String RESET_TEXT = "上下文已清除。Conversation context cleared.";

	/**
	 * Timeout of a call to the providers: longer than their own vendor timeout (120 s),
	 * so theirs wins.
	 */
	public static final int CHAT_TIMEOUT_MILLIS = 130_000;

	private static final String LOCAL_VENDOR = "chatrelay";

	private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

	private final ChatService chatService;

	private final ConversationStore store;

	private final ContextWindow window;

	private final String tenantId;

	private final Duration deadline;

	private final Executor work;

	private final Quotas quotas;

	/**
	 * Create the service.
	 * @param chatService the providers
	 * @param store context storage
	 * @param window context rules
	 * @param tenantId this deployment's tenant
	 * @param deadline the longest wait for a whole answer, after which
	 * {@link #ask(Inquiry)} fails with a {@link java.util.concurrent.TimeoutException}
	 * @param work where the turn is stored once the answer arrived, so that Dubbo's
	 * threads, which complete every call, never wait on Redis
	 */
	public ConversationService(ChatService chatService, ConversationStore store, ContextWindow window, String tenantId,
			Duration deadline, Executor work) {
		this(chatService, store, window, tenantId, deadline, work, null);
	}

	/**
	 * Create the service with quotas.
	 * @param chatService the providers
	 * @param store context storage
	 * @param window context rules
	 * @param tenantId this deployment's tenant
	 * @param deadline the longest wait for a whole answer
	 * @param work where Redis work after an answer runs
	 * @param quotas the limits checked before each call, or {@code null} for none
	 */
	public ConversationService(ChatService chatService, ConversationStore store, ContextWindow window, String tenantId,
			Duration deadline, Executor work, Quotas quotas) {
		this.chatService = chatService;
		this.store = store;
		this.window = window;
		this.tenantId = tenantId;
		this.deadline = deadline;
		this.work = work;
		this.quotas = quotas;
	}

	/**
	 * The longest wait for a whole answer.
	 * @return the deadline {@link #ask(Inquiry)} applies; streamed answers should be
	 * bounded by their caller the same way
	 */
	public Duration deadline() {
		return this.deadline;
	}

	/**
	 * Whether a message is a reset command.
	 * @param text the message
	 * @return {@code true} for {@code /reset} and {@code 清除上下文}
	 */
	public static boolean isReset(String text) {
		return RESET_COMMANDS.contains(text.strip());
	}

	/**
	 * Answer a message.
	 * @param inquiry the message
	 * @return the answer; completes exceptionally as described in
	 * {@link AnswerListener#onError(Throwable)}
	 * @throws QuotaExceededException when a limit is reached (no vendor is called)
	 */
	public CompletableFuture<ChatReply> ask(Inquiry inquiry) {
		if (isReset(inquiry.text())) {
			return CompletableFuture.completedFuture(reset(inquiry));
		}
		List<ChatMessage> messages = messages(inquiry);
		Quotas.Reservation reservation = reserve(inquiry, messages);
		ChatRequest request = request(inquiry, messages, reservation);
		// Dubbo's own timeout does not fire for a call whose connection went bad (a
		// provider
		// frozen and resumed): this deadline guarantees the future completes.
		return this.chatService.chatAsync(request)
			.orTimeout(this.deadline.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((reply, failure) -> {
				if (failure != null) {
					release(reservation);
				}
			})
			.thenApplyAsync((reply) -> {
				this.store.append(inquiry.conversationId(), new Turn(inquiry.text(), reply.text()));
				settle(reservation, reply);
				return reply;
			}, this.work);
	}

	/**
	 * Answer a message token by token.
	 * @param inquiry the message
	 * @param listener receives the answer
	 * @throws QuotaExceededException when a limit is reached (no vendor is called, the
	 * listener hears nothing)
	 */
	public void askStreaming(Inquiry inquiry, AnswerListener listener) {
		if (isReset(inquiry.text())) {
			ChatReply reply = reset(inquiry);
			listener.onDelta(reply.text());
			listener.onComplete(reply);
			return;
		}
		List<ChatMessage> messages = messages(inquiry);
		Quotas.Reservation reservation = reserve(inquiry, messages);
		ChatRequest request = request(inquiry, messages, reservation);
		long started = System.nanoTime();
		this.chatService.chatStream(request, new StreamObserver<>() {

			private final StringBuilder text = new StringBuilder();

			private ChatChunk last;

			private boolean failed;

			@Override
			public void onNext(ChatChunk chunk) {
				if (chunk.error() != null) {
					this.failed = true;
					release(reservation);
					listener.onError(chunk.error());
					return;
				}
				if (!chunk.delta().isEmpty()) {
					this.text.append(chunk.delta());
					listener.onDelta(chunk.delta());
				}
				if (chunk.last()) {
					this.last = chunk;
				}
			}

			@Override
			public void onError(Throwable error) {
				if (!this.failed) {
					release(reservation);
					listener.onError(error);
				}
			}

			@Override
			public void onCompleted() {
				if (this.failed) {
					return;
				}
				ChatChunk end = (this.last != null) ? this.last
						: new ChatChunk("", "stop", TokenUsage.UNKNOWN, "unknown", "unknown", ChatRoute.PRIMARY);
				ChatReply reply = new ChatReply(this.text.toString(), nonNull(end.vendor()), nonNull(end.model()),
						end.route(), end.finishReason(), end.usage(), (System.nanoTime() - started) / 1_000_000);
				try {
					ConversationService.this.work.execute(() -> {
						settle(reservation, reply);
						complete(inquiry, reply, listener);
					});
				}
				catch (RejectedExecutionException ex) {
					listener.onError(ex);
				}
			}

		});
	}

	private void complete(Inquiry inquiry, ChatReply reply, AnswerListener listener) {
		try {
			this.store.append(inquiry.conversationId(), new Turn(inquiry.text(), reply.text()));
		}
		catch (RuntimeException ex) {
			listener.onError(ex);
			return;
		}
		listener.onComplete(reply);
	}

	private List<ChatMessage> messages(Inquiry inquiry) {
		return this.window.messages(this.store.load(inquiry.conversationId()), inquiry.text());
	}

	private Quotas.Reservation reserve(Inquiry inquiry, List<ChatMessage> messages) {
		if (this.quotas == null) {
			return Quotas.Reservation.NONE;
		}
		long chars = 0;
		for (ChatMessage message : messages) {
			chars += message.content().length();
		}
		return this.quotas.acquire(this.tenantId, inquiry.userId(), inquiry.keyLimits(), chars);
	}

	/** Settle the tokens reserved to what the answer used; never fails the answer. */
	private void settle(Quotas.Reservation reservation, ChatReply reply) {
		if (reservation.tokenKeys().isEmpty()) {
			return;
		}
		try {
			this.quotas.settle(reservation, reply.usage().totalTokens());
		}
		catch (RuntimeException ex) {
			log.warn("Token usage not settled (the reservation stays counted): {}", ex.toString());
		}
	}

	/** Give back the tokens of a call that failed, off the caller's thread. */
	private void release(Quotas.Reservation reservation) {
		if (reservation.tokenKeys().isEmpty()) {
			return;
		}
		try {
			this.work.execute(() -> {
				try {
					this.quotas.release(reservation);
				}
				catch (RuntimeException ex) {
					log.warn("Reserved tokens not given back: {}", ex.toString());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			log.warn("Reserved tokens not given back: {}", ex.toString());
		}
	}

	private ChatRequest request(Inquiry inquiry, List<ChatMessage> messages, Quotas.Reservation reservation) {
		ChatOptions options = (reservation.maxTokens() != null)
				? new ChatOptions(ChatOptions.DEFAULT_MODEL, null, reservation.maxTokens()) : ChatOptions.DEFAULTS;
		return new ChatRequest(inquiry.requestId(), this.tenantId, inquiry.conversationId(), messages, options,
				Map.of(ChatRequest.ATTR_CHANNEL, inquiry.channel(), ChatRequest.ATTR_USER_ID, inquiry.userId()));
	}

	private ChatReply reset(Inquiry inquiry) {
		this.store.clear(inquiry.conversationId());
		return new ChatReply(RESET_TEXT, LOCAL_VENDOR, LOCAL_VENDOR, ChatRoute.PRIMARY, "reset", TokenUsage.UNKNOWN, 0);
	}

	private static String nonNull(String value) {
		return (value != null) ? value : "unknown";
	}

}
