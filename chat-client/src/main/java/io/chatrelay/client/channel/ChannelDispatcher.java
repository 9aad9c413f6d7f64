package io.chatrelay.client.channel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes accepted platform messages off the callback thread, so that the callback is acked
 * in milliseconds, and answers them with the {@link MessageAnswerer}. The executor is
 * bounded; when it is full the user is told to try again instead of the queue growing
 * without limit.
 */
public class ChannelDispatcher implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ChannelDispatcher.class);

	private final MessageAnswerer answerer;

	private final ExecutorService executor;

	private final MeterRegistry meters;

	/**
	 * Create a dispatcher.
	 * @param answerer answers messages
	 * @param executor a bounded executor that throws {@link RejectedExecutionException}
	 * when full
	 * @param meters where to count
	 */
	public ChannelDispatcher(MessageAnswerer answerer, ExecutorService executor, MeterRegistry meters) {
		this.answerer = answerer;
		this.executor = executor;
		this.meters = meters;
	}

	/**
	 * Accept a verified, first-delivered message for answering.
	 * @param message the message
	 */
	public void accept(ChannelMessage message) {
		try {
			this.executor.execute(() -> this.answerer.answer(message));
			count(message.channel(), "accepted");
		}
		catch (RejectedExecutionException ex) {
			log.warn("Too many messages waiting, answering {} with busy", message);
			count(message.channel(), "busy");
			this.answerer.apologise(message, Apology.BUSY);
		}
	}

	/**
	 * Stop taking messages and give the queued ones up to 20 s to be handed on.
	 */
	@Override
	public void close() {
		this.executor.shutdown();
		try {
			if (!this.executor.awaitTermination(20, TimeUnit.SECONDS)) {
				log.warn("{} accepted messages were not handed on before shutdown", this.executor.shutdownNow().size());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Count a callback outcome.
	 * @param channel the channel
	 * @param outcome {@code accepted}, {@code duplicate}, {@code ignored}, {@code busy}
	 * or {@code rejected}
	 */
	public void count(String channel, String outcome) {
		Counter.builder("chat.client.callbacks")
			.description("Platform callbacks by channel and outcome")
			.tag("channel", channel)
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

}
