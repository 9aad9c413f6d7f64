package io.chatrelay.client.channel.wecombot;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.chatrelay.client.conversation.AnswerListener;
import io.chatrelay.client.conversation.Inquiry;
import io.chatrelay.client.dispatch.ChannelResponder;
import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.inbox.ChannelMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Answers WeCom bot messages from the inbox, on whichever node's worker takes them: the
 * model's answer is streamed into the stream the accepting node handed to WeCom (its id
 * is in the message's reply address), where any node's refresh callbacks read it.
 * <ul>
 * <li>Delivered once the final state (the answer, or an apology) is stored.</li>
 * <li>No provider reachable, Redis down, or no whole answer within the conversation
 * deadline: "retry later"; the stream stays unfinished (WeCom keeps polling) and the next
 * attempt writes it again from empty.</li>
 * <li>A stream already final was answered by a node that stopped before finishing the
 * inbox entry: it is not answered twice.</li>
 * <li>Past {@code stream-deadline} nothing more reaches the user (refreshes show the
 * deadline note, and WeCom stops polling at 6 min): the model is not asked, and an answer
 * still running is abandoned.</li>
 * </ul>
 */
class WeComBotResponder implements ChannelResponder, AutoCloseable {

	/** The reply-address key of the stream a message is answered into. */
	static final String STREAM = "stream";

	/** The shortest time between two stores of an unfinished stream. */
	static final Duration STORE_INTERVAL = Duration.ofMillis(100);

	private static final Logger log = LoggerFactory.getLogger(WeComBotResponder.class);

	private final WeComBotStreams streams;

	private final BiConsumer<Inquiry, AnswerListener> ask;

	private final Duration streamDeadline;

	private final Duration answerTimeout;

	private final Clock clock;

	private final ScheduledExecutorService scheduler;

	/**
	 * Create the responder.
	 * @param streams the stream states in Redis
	 * @param ask asks for a streamed answer with the conversation's context
	 * ({@code ConversationService::askStreaming})
	 * @param streamDeadline how long after the message a stream may stay unfinished
	 * @param answerTimeout the longest wait for one whole answer
	 * @param clock the clock for the deadlines
	 */
	WeComBotResponder(WeComBotStreams streams, BiConsumer<Inquiry, AnswerListener> ask, Duration streamDeadline,
			Duration answerTimeout, Clock clock) {
		this.streams = streams;
		this.ask = ask;
		this.streamDeadline = streamDeadline;
		this.answerTimeout = answerTimeout;
		this.clock = clock;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "wecom-bot-flush");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		this.scheduler = executor;
	}

	@Override
	public String channel() {
		return WeComBotChannel.NAME;
	}

	@Override
	public CompletableFuture<Answered> answer(ChannelMessage message) {
		String streamId = message.replyTo(STREAM);
		if (!WeComBotStreams.isStreamId(streamId)) {
			log.error("{} has no stream to answer into", message);
			return CompletableFuture.completedFuture(Answered.FAILED);
		}
		long left = deadlineMillis(message) - this.clock.millis();
		if (left <= 0) {
			log.warn("{} was not answered before the deadline of stream {}; WeCom has shown the deadline note", message,
					streamId);
			return CompletableFuture.completedFuture(Answered.apologised());
		}
		try {
			Optional<WeComBotStream> stored = this.streams.read(streamId);
			if (stored.isPresent() && stored.get().finish()) {
				log.info("Stream {} of {} is already final: not answered again", streamId, message);
				return CompletableFuture.completedFuture(Answered.answered());
			}
			if (stored.isPresent() && !stored.get().content().isEmpty()) {
				// An earlier attempt left part of an answer: this one starts from empty.
				this.streams.write(streamId, WeComBotStream.started(message.receivedAtMillis()));
			}
		}
		catch (JedisException ex) {
			log.info("Stream {} of {} cannot be read, will retry: {}", streamId, message, ex.toString());
			return CompletableFuture.completedFuture(Answered.RETRY_LATER);
		}
		WeComBotStreamWriter writer = new WeComBotStreamWriter(streamId, message.receivedAtMillis(),
				(state) -> this.streams.write(streamId, state), this.scheduler, STORE_INTERVAL, System::nanoTime);
		ScheduledFuture<?> timer;
		try {
			timer = this.scheduler.schedule(() -> giveUp(writer, streamId, left <= this.answerTimeout.toMillis()),
					Math.min(left, this.answerTimeout.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.completedFuture(Answered.RETRY_LATER);
		}
		writer.ended().whenComplete((outcome, failure) -> timer.cancel(false));
		try {
			this.ask.accept(ChannelResponder.inquiry(message), writer);
		}
		catch (RuntimeException ex) {
			writer.onError(ex);
		}
		return writer.ended();
	}

	@Override
	public CompletableFuture<Result> apologise(ChannelMessage message, String text) {
		String streamId = message.replyTo(STREAM);
		if (!WeComBotStreams.isStreamId(streamId)) {
			log.error("{} has no stream to apologise in", message);
			return CompletableFuture.completedFuture(Result.FAILED);
		}
		if (this.clock.millis() >= deadlineMillis(message)) {
			// Refreshes show the deadline note by now; nothing else reaches the user.
			return CompletableFuture.completedFuture(Result.DELIVERED);
		}
		try {
			this.streams.write(streamId, new WeComBotStream(text, true, message.receivedAtMillis()));
			return CompletableFuture.completedFuture(Result.DELIVERED);
		}
		catch (JedisException ex) {
			log.warn("Stream {} of {} could not show the apology: {}", streamId, message, ex.toString());
			return CompletableFuture.completedFuture(Result.RETRY_LATER);
		}
	}

	private void giveUp(WeComBotStreamWriter writer, String streamId, boolean streamDeadline) {
		if (streamDeadline) {
			if (writer.giveUp(Answered.apologised())) {
				log.warn("Stream {} reached its deadline ({}) before the answer ended", streamId, this.streamDeadline);
			}
		}
		else if (writer.giveUp(Answered.RETRY_LATER)) {
			log.warn("Stream {} got no whole answer within {}, will retry", streamId, this.answerTimeout);
		}
	}

	private long deadlineMillis(ChannelMessage message) {
		return message.receivedAtMillis() + this.streamDeadline.toMillis();
	}

	/**
	 * Stop the trailing flushes and deadlines; answers in flight still end with their
	 * final store.
	 */
	@Override
	public void close() {
		this.scheduler.shutdown();
		try {
			this.scheduler.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
