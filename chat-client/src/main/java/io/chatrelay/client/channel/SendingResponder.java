package io.chatrelay.client.channel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.chatrelay.api.ChatException;
import io.chatrelay.client.channel.MessageAnswerer.Result;
import io.chatrelay.client.conversation.ConversationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder of the channels with a send API: asks a provider for the whole answer
 * with the conversation's context, then sends it (or an {@link Apology}) through the
 * channel's {@link ReplySender} in parts, retrying a part the platform may accept later.
 */
public class SendingResponder implements ChannelResponder {

	private static final Logger log = LoggerFactory.getLogger(SendingResponder.class);

	private final ConversationService conversations;

	private final ReplySender sender;

	private final int sendAttempts;

	private final Duration sendBackoff;

	/**
	 * Create a responder.
	 * @param conversations asks the providers with context
	 * @param sender the channel's sender
	 * @param sendAttempts how often a retriable send failure is tried in all
	 * @param sendBackoff the wait before the second attempt (doubled each time)
	 */
	public SendingResponder(ConversationService conversations, ReplySender sender, int sendAttempts,
			Duration sendBackoff) {
		this.conversations = conversations;
		this.sender = sender;
		this.sendAttempts = Math.max(1, sendAttempts);
		this.sendBackoff = sendBackoff;
	}

	@Override
	public String channel() {
		return this.sender.channel();
	}

	@Override
	public CompletableFuture<Answered> answer(ChannelMessage message) {
		CompletableFuture<String> text;
		try {
			text = this.conversations.ask(message.inquiry())
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
			return deliver(message, reply.text())
				.thenApply((result) -> new Answered(result, result == Result.DELIVERED && reply.apology()));
		});
	}

	@Override
	public CompletableFuture<Result> apologise(ChannelMessage message, String text) {
		return deliver(message, text);
	}

	private CompletableFuture<Result> deliver(ChannelMessage message, String text) {
		return send(message, text).handle((done, failure) -> {
			if (failure == null) {
				return Result.DELIVERED;
			}
			Throwable cause = PlatformExchange.unwrap(failure);
			Result result = (cause instanceof PlatformApiException api && api.retriable()) ? Result.RETRY_LATER
					: Result.FAILED;
			log.warn("Reply to {} not delivered ({}): {}", message, result, cause.getMessage());
			return result;
		});
	}

	/**
	 * Send the parts in order; a part is retried on its own, so parts the platform
	 * already accepted are never sent twice.
	 */
	private CompletableFuture<Void> send(ChannelMessage message, String text) {
		List<String> parts = TextSplitter.split(text, this.sender.partLimitBytes())
			.stream()
			.filter((part) -> !part.isBlank())
			.toList();
		CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
		for (int i = 0; i < parts.size(); i++) {
			String part = parts.get(i);
			int index = i;
			sent = sent.thenCompose((previous) -> sendPart(message, part, index, 1));
		}
		return sent;
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
