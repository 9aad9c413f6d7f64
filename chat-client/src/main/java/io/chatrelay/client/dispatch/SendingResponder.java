package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import io.chatrelay.api.ChatException;
import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.PlatformApiException;
import io.chatrelay.client.platform.PlatformExchange;
import io.chatrelay.client.platform.TextSplitter;
import io.chatrelay.client.quota.QuotaExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The responder of the channels with a send API: asks a provider for the whole answer
 * with the conversation's context, then sends it (or an {@link Apology}) through the
 * channel's {@link ReplySender} in parts, retrying a part the platform may accept later.
 * An answer is kept in {@link PendingReplies} until all of it was delivered, so a later
 * attempt sends the parts still missing instead of asking the model again.
 */
public class SendingResponder implements ChannelResponder {

	private static final Logger log = LoggerFactory.getLogger(SendingResponder.class);

	/** No reply at all: the user was already told they are over a limit. */
	private static final Reply QUIET = new Reply("", true);

	private final ConversationService conversations;

	private final ReplySender sender;

	private final int sendAttempts;

	private final Duration sendBackoff;

	private final PendingReplies pending;

	private final Executor work;

	/**
	 * Create a responder.
	 * @param conversations asks the providers with context
	 * @param sender the channel's sender
	 * @param pending keeps answers until all of them was delivered
	 * @param sendAttempts how often a retriable send failure is tried in all
	 * @param sendBackoff the wait before the second attempt (doubled each time)
	 * @param work where a kept answer's progress is recorded after each part (the HTTP
	 * client completes sends on the shared common pool, which must not wait on Redis)
	 */
	public SendingResponder(ConversationService conversations, ReplySender sender, PendingReplies pending,
			int sendAttempts, Duration sendBackoff, Executor work) {
		this.conversations = conversations;
		this.sender = sender;
		this.pending = pending;
		this.sendAttempts = Math.max(1, sendAttempts);
		this.sendBackoff = sendBackoff;
		this.work = work;
	}

	@Override
	public String channel() {
		return this.sender.channel();
	}

	@Override
	public CompletableFuture<Answered> answer(ChannelMessage message) {
		Optional<PendingReplies.Pending> kept;
		try {
			kept = this.pending.find(message);
		}
		catch (JedisException ex) {
			log.info("No answer for {} yet, will retry: {}", message, ex.toString());
			return CompletableFuture.completedFuture(Answered.RETRY_LATER);
		}
		if (kept.isPresent()) {
			log.info("Sending the answer kept for {} from part {}", message, kept.get().deliveredParts() + 1);
			return deliver(message, kept.get().text(), kept.get().deliveredParts(), true)
				.thenApply((result) -> new Answered(result, false));
		}
		CompletableFuture<String> text;
		try {
			text = this.conversations.ask(ChannelResponder.inquiry(message))
				.thenApply((reply) -> reply.text().isBlank() ? null : reply.text());
		}
		catch (RuntimeException ex) {
			text = CompletableFuture.failedFuture(ex);
		}
		return text.handle((answer, failure) -> {
			if (failure == null) {
				return (answer != null) ? new Reply(answer, false) : new Reply(Apology.FAILED, true);
			}
			Throwable cause = PlatformExchange.unwrap(failure);
			if (ChannelResponder.answerLater(cause)) {
				log.info("No answer for {} yet, will retry: {}", message, cause.toString());
				return null;
			}
			if (cause instanceof QuotaExceededException quota) {
				// One polite reply per window, then over-limit messages go unanswered.
				log.info("No answer for {}: {}{}", message, quota.limit(),
						quota.firstNotice() ? "" : " (already told this window)");
				return quota.firstNotice() ? new Reply(quota.politeText(message.text()), true) : QUIET;
			}
			if (cause instanceof ChatException chat) {
				log.info("No answer for {}: {} {}", message, chat.code(), chat.getMessage());
			}
			else {
				log.warn("No answer for {}: {}", message, cause.toString());
			}
			return new Reply(Apology.of(cause), true);
		}).thenCompose((reply) -> {
			if (reply == null) {
				return CompletableFuture.completedFuture(Answered.RETRY_LATER);
			}
			if (reply == QUIET) {
				return CompletableFuture.completedFuture(Answered.apologised());
			}
			boolean keep = !reply.apology() && keep(message, reply.text());
			return deliver(message, reply.text(), 0, keep)
				.thenApply((result) -> new Answered(result, result == Result.DELIVERED && reply.apology()));
		});
	}

	@Override
	public CompletableFuture<Result> apologise(ChannelMessage message, String text) {
		return deliver(message, text, 0, false);
	}

	/** Keep the answer for a later attempt; without Redis it is sent all the same. */
	private boolean keep(ChannelMessage message, String text) {
		try {
			this.pending.save(message, text);
			return true;
		}
		catch (JedisException ex) {
			log.warn("The answer to {} could not be kept ({}); sending it anyway", message, ex.toString());
			return false;
		}
	}

	private CompletableFuture<Result> deliver(ChannelMessage message, String text, int from, boolean kept) {
		BiFunction<Void, Throwable, Result> settle = (done, failure) -> {
			if (failure == null) {
				if (kept) {
					bestEffort(() -> this.pending.forget(message));
				}
				return Result.DELIVERED;
			}
			Throwable cause = PlatformExchange.unwrap(failure);
			Result result = (cause instanceof PlatformApiException api && api.retriable()) ? Result.RETRY_LATER
					: Result.FAILED;
			log.warn("Reply to {} not delivered ({}): {}", message, result, cause.getMessage());
			return result;
		};
		CompletableFuture<Void> sent = send(message, text, from, kept);
		// A kept answer is forgotten in Redis: not on the thread that completed the send.
		return kept ? sent.handleAsync(settle, this.work) : sent.handle(settle);
	}

	/**
	 * Send the parts in order from {@code from}; a part is retried on its own, so parts
	 * the platform already accepted are never sent twice (within this attempt, and across
	 * attempts when the answer is kept).
	 */
	private CompletableFuture<Void> send(ChannelMessage message, String text, int from, boolean kept) {
		List<String> parts = TextSplitter.split(text, this.sender.partLimitBytes())
			.stream()
			.filter((part) -> !part.isBlank())
			.toList();
		CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
		for (int i = from; i < parts.size(); i++) {
			String part = parts.get(i);
			int index = i;
			sent = sent.thenCompose((previous) -> sendPart(message, part, index, 1));
			// The last part's progress is not written: the kept answer is forgotten next.
			if (kept && index < parts.size() - 1) {
				sent = sent.thenRunAsync(() -> bestEffort(() -> this.pending.delivered(message, index + 1)), this.work);
			}
		}
		return sent;
	}

	private static void bestEffort(Runnable step) {
		try {
			step.run();
		}
		catch (JedisException ex) {
			log.debug("Keeping the reply's progress failed: {}", ex.toString());
		}
	}

	private CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index, int attempt) {
		CompletableFuture<Void> sent;
		try {
			sent = this.sender.sendPart(message, part, index);
		}
		catch (RuntimeException ex) {
			sent = CompletableFuture.failedFuture(ex);
		}
		return sent.handle((done, failure) -> {
			if (failure == null) {
				return CompletableFuture.<Void>completedFuture(null);
			}
			Throwable cause = PlatformExchange.unwrap(failure);
			if (attempt < this.sendAttempts && cause instanceof PlatformApiException api && api.retriable()) {
				long wait = this.sendBackoff.toMillis() << (attempt - 1);
				log.warn("Sending part {} of the reply to {} failed ({}), attempt {} in {} ms", index + 1, message,
						api.getMessage(), attempt + 1, wait);
				Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS);
				return CompletableFuture.supplyAsync(() -> null, later)
					.thenCompose((ignored) -> sendPart(message, part, index, attempt + 1));
			}
			return CompletableFuture.<Void>failedFuture(cause);
		}).thenCompose((next) -> next);
	}

	private record Reply(String text, boolean apology) {
	}

}
