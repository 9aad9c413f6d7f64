package io.chatrelay.client.channel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.chatrelay.api.ChatException;
import io.chatrelay.client.conversation.ConversationService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Answers one accepted platform message: asks a provider with the conversation's context,
 * then sends the answer (or an {@link Apology}) through the channel's
 * {@link ReplySender}, retrying sends the platform may accept later. Reports a
 * {@link Result} so that the inbox knows whether to finish the message or retry it.
 *
 * <p>
 * Metrics: {@code chat_client_replies_total{channel,outcome}} (answered, apologised,
 * busy, dead_letter, retry, send_failed) and {@code chat_client_reply_seconds{channel}}
 * from acceptance to the platform's acceptance of the last part.
 */
public class MessageAnswerer {

	private static final Logger log = LoggerFactory.getLogger(MessageAnswerer.class);

	private final ConversationService conversations;

	private final Map<String, ReplySender> senders;

	private final int sendAttempts;

	private final Duration sendBackoff;

	private final MeterRegistry meters;

	/**
	 * Create an answerer.
	 * @param conversations asks the providers with context
	 * @param senders the reply senders by channel
	 * @param sendAttempts how often a retriable send failure is tried in all
	 * @param sendBackoff the wait before the second attempt (doubled each time)
	 * @param meters where to count
	 */
	public MessageAnswerer(ConversationService conversations, Map<String, ReplySender> senders, int sendAttempts,
			Duration sendBackoff, MeterRegistry meters) {
		this.conversations = conversations;
		this.senders = Map.copyOf(senders);
		this.sendAttempts = Math.max(1, sendAttempts);
		this.sendBackoff = sendBackoff;
		this.meters = meters;
	}

	/**
	 * What became of one attempt at answering a message.
	 */
	public enum Result {

		/** The answer (or an apology) reached the platform. */
		DELIVERED,

		/**
		 * Nothing could be sent yet (no provider reachable, the context store or the
		 * platform unavailable): try again later, the user has seen nothing.
		 */
		RETRY_LATER,

		/** The platform refused the reply for good. */
		FAILED

	}

	/**
	 * Answer a message.
	 * @param message the accepted message
	 * @return what became of it; never completes exceptionally
	 */
	public CompletableFuture<Result> answer(ChannelMessage message) {
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
				return (answer != null) ? new Outcome(answer, "answered") : new Outcome(Apology.FAILED, "apologised");
			}
			Throwable cause = PlatformExchange.unwrap(failure);
			if (answerLater(cause)) {
				log.info("No answer for {} yet, will retry: {}", message, cause.toString());
				return null;
			}
			if (cause instanceof ChatException chat) {
				log.info("No answer for {}: {} {}", message, chat.code(), chat.getMessage());
			}
			else {
				log.warn("No answer for {}: {}", message, cause.toString());
			}
			return new Outcome(Apology.of(cause), "apologised");
		}).thenCompose((outcome) -> {
			if (outcome == null) {
				count(message.channel(), "retry");
				return CompletableFuture.completedFuture(Result.RETRY_LATER);
			}
			return deliver(message, outcome);
		});
	}

	/**
	 * Send an apology instead of asking for an answer (for example when the inbox is
	 * full).
	 * @param message the message
	 * @param text the apology
	 * @return what became of it; never completes exceptionally
	 */
	public CompletableFuture<Result> apologise(ChannelMessage message, String text) {
		return apologise(message, text, "busy");
	}

	/**
	 * Send an apology, counted under its own outcome.
	 * @param message the message
	 * @param text the apology
	 * @param outcome the {@code chat_client_replies_total} outcome to count it as
	 * @return what became of it; never completes exceptionally
	 */
	public CompletableFuture<Result> apologise(ChannelMessage message, String text, String outcome) {
		return deliver(message, new Outcome(text, outcome));
	}

	/**
	 * Failures that say nothing about the question: no provider reachable (not a Dubbo
	 * timeout, which may have reached one), the context store down, or the answer
	 * deadline passed without Dubbo noticing (a connection gone bad). The message waits.
	 */
	private static boolean answerLater(Throwable cause) {
		return (cause instanceof RpcException rpc && !rpc.isTimeout()) || cause instanceof JedisException
				|| cause instanceof java.util.concurrent.TimeoutException;
	}

	private CompletableFuture<Result> deliver(ChannelMessage message, Outcome outcome) {
		ReplySender sender = this.senders.get(message.channel());
		if (sender == null) {
			log.error("No reply sender for channel {}", message.channel());
			return CompletableFuture.completedFuture(Result.FAILED);
		}
		return send(sender, message, outcome.text()).handle((done, failure) -> {
			Result result = Result.DELIVERED;
			if (failure != null) {
				Throwable cause = PlatformExchange.unwrap(failure);
				result = (cause instanceof PlatformApiException api && api.retriable()) ? Result.RETRY_LATER
						: Result.FAILED;
				log.warn("Reply to {} not delivered ({}): {}", message, result, cause.getMessage());
			}
			count(message.channel(), (result == Result.DELIVERED) ? outcome.result()
					: (result == Result.RETRY_LATER) ? "retry" : "send_failed");
			if (result == Result.DELIVERED) {
				Timer.builder("chat.client.reply")
					.description("From accepting a platform message to the platform accepting the reply")
					.tag("channel", message.channel())
					.publishPercentileHistogram()
					.register(this.meters)
					.record(Math.max(0, System.currentTimeMillis() - message.receivedAtMillis()),
							TimeUnit.MILLISECONDS);
			}
			return result;
		});
	}

	/**
	 * Send the parts in order; a part is retried on its own, so parts the platform
	 * already accepted are never sent twice.
	 */
	private CompletableFuture<Void> send(ReplySender sender, ChannelMessage message, String text) {
		List<String> parts = TextSplitter.split(text, sender.partLimitBytes())
			.stream()
			.filter((part) -> !part.isBlank())
			.toList();
		CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
		for (int i = 0; i < parts.size(); i++) {
			String part = parts.get(i);
			int index = i;
			sent = sent.thenCompose((previous) -> sendPart(sender, message, part, index, 1));
		}
		return sent;
	}

	private CompletableFuture<Void> sendPart(ReplySender sender, ChannelMessage message, String part, int index,
			int attempt) {
		CompletableFuture<Void> sent;
		try {
			sent = sender.sendPart(message, part, index);
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
					.thenCompose((ignored) -> sendPart(sender, message, part, index, attempt + 1));
			}
			return CompletableFuture.<Void>failedFuture(cause);
		}).thenCompose((next) -> next);
	}

	private void count(String channel, String outcome) {
		Counter.builder("chat.client.replies")
			.description("Platform messages answered, by channel and outcome")
			.tag("channel", channel)
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	private record Outcome(String text, String result) {
	}

}
