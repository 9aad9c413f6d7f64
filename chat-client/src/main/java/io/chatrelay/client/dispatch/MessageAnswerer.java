package io.chatrelay.client.dispatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.chatrelay.client.dispatch.ChannelResponder.Answered;
import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.PlatformExchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one accepted platform message through its channel's {@link ChannelResponder}
 * (ask a provider with the conversation's context, show the answer or an
 * {@link Apology}), and reports a {@link Result} so that the inbox knows whether to
 * finish the message or retry it.
 *
 * <p>
 * Metrics, for every channel: {@code chat_client_replies_total{channel,outcome}}
 * (answered, apologised, busy, dead_letter, retry, send_failed) and
 * {@code chat_client_reply_seconds{channel}} from acceptance to the user's platform
 * having the whole reply (the last part accepted, or the final stream state stored).
 */
public class MessageAnswerer {

	private static final Logger log = LoggerFactory.getLogger(MessageAnswerer.class);

	private final Map<String, ChannelResponder> responders;

	private final MeterRegistry meters;

	/**
	 * Create an answerer.
	 * @param responders one per channel
	 * @param meters where to count
	 * @throws IllegalArgumentException if two responders answer for the same channel
	 */
	public MessageAnswerer(Collection<? extends ChannelResponder> responders, MeterRegistry meters) {
		Map<String, ChannelResponder> byChannel = new HashMap<>();
		for (ChannelResponder responder : responders) {
			if (byChannel.put(responder.channel(), responder) != null) {
				throw new IllegalArgumentException("Two responders for channel " + responder.channel());
			}
		}
		this.responders = Map.copyOf(byChannel);
		this.meters = meters;
	}

	/**
	 * Answer a message.
	 * @param message the accepted message
	 * @return what became of it; never completes exceptionally
	 */
	public CompletableFuture<Result> answer(ChannelMessage message) {
		ChannelResponder responder = this.responders.get(message.channel());
		if (responder == null) {
			log.error("No responder for channel {}", message.channel());
			return CompletableFuture.completedFuture(Result.FAILED);
		}
		return guarded(() -> responder.answer(message)).handle((answered, failure) -> {
			Answered outcome = answered;
			if (failure != null || outcome == null) {
				log.warn("Answering {} failed unexpectedly: {}", message,
						(failure != null) ? PlatformExchange.unwrap(failure).toString() : "no outcome");
				outcome = Answered.FAILED;
			}
			record(message, outcome.result(), outcome.apology() ? "apologised" : "answered");
			return outcome.result();
		});
	}

	/**
	 * Show an apology instead of asking for an answer (for example when the inbox is
	 * full).
	 * @param message the message
	 * @param text the apology
	 * @return what became of it; never completes exceptionally
	 */
	public CompletableFuture<Result> apologise(ChannelMessage message, String text) {
		return apologise(message, text, "busy");
	}

	/**
	 * Show an apology, counted under its own outcome.
	 * @param message the message
	 * @param text the apology
	 * @param outcome the {@code chat_client_replies_total} outcome to count it as
	 * @return what became of it; never completes exceptionally
	 */
	public CompletableFuture<Result> apologise(ChannelMessage message, String text, String outcome) {
		ChannelResponder responder = this.responders.get(message.channel());
		if (responder == null) {
			log.error("No responder for channel {}", message.channel());
			return CompletableFuture.completedFuture(Result.FAILED);
		}
		return guarded(() -> responder.apologise(message, text)).handle((result, failure) -> {
			Result shown = result;
			if (failure != null || shown == null) {
				log.warn("Apologising to {} failed unexpectedly: {}", message,
						(failure != null) ? PlatformExchange.unwrap(failure).toString() : "no outcome");
				shown = Result.FAILED;
			}
			record(message, shown, outcome);
			return shown;
		});
	}

	private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void record(ChannelMessage message, Result result, String deliveredOutcome) {
		count(message.channel(), switch (result) {
			case DELIVERED -> deliveredOutcome;
			case RETRY_LATER -> "retry";
			case FAILED -> "send_failed";
		});
		if (result == Result.DELIVERED) {
			Timer.builder("chat.client.reply")
				.description("From accepting a platform message to the platform having the whole reply")
				.tag("channel", message.channel())
				.publishPercentileHistogram()
				.register(this.meters)
				.record(Math.max(0, System.currentTimeMillis() - message.receivedAtMillis()), TimeUnit.MILLISECONDS);
		}
	}

	private void count(String channel, String outcome) {
		Counter.builder("chat.client.replies")
			.description("Platform messages answered, by channel and outcome")
			.tag("channel", channel)
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

}
