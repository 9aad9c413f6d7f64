package io.chatrelay.client.channel.wecombot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatReply;
import io.chatrelay.client.conversation.AnswerListener;
import io.chatrelay.client.dispatch.Apology;
import io.chatrelay.client.dispatch.ChannelResponder;
import io.chatrelay.client.dispatch.ChannelResponder.Answered;
import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.platform.PlatformExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a streamed answer into the states of one WeCom bot stream: the deltas accumulate
 * (WeCom shows the whole content each time), and the state is stored at most once per
 * interval while deltas arrive (a late delta is flushed by the scheduler after the rest
 * of the interval), then once more, final, on completion or failure. A failure shows an
 * {@link Apology}, except a failure that says nothing about the question
 * ({@link ChannelResponder#answerLater}): then nothing final is stored, the stream stays
 * unfinished and the message is answered again later. Stores are serialized, so a late
 * flush never overwrites the final state.
 * <p>
 * {@link #ended()} tells the inbox what became of the attempt: delivered once the final
 * state is stored, "retry later" when it could not be (an intermediate store that fails
 * is only logged: the next one carries everything).
 */
class WeComBotStreamWriter implements AnswerListener {

	private static final Logger log = LoggerFactory.getLogger(WeComBotStreamWriter.class);

	private final String streamId;

	private final long startedMillis;

	private final Consumer<WeComBotStream> store;

	private final ScheduledExecutorService scheduler;

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private final StringBuilder text = new StringBuilder();

	private final CompletableFuture<Answered> ended = new CompletableFuture<>();

	private int textBytes;

	private boolean finished;

	private String shown = "";

	private long storedAtNanos;

	private boolean everStored;

	private ScheduledFuture<?> pendingFlush;

	/**
	 * Create a writer for one stream.
	 * @param streamId the stream, for log lines
	 * @param startedMillis when the message was accepted (stored with every state)
	 * @param store stores a state (Redis); may throw
	 * @param scheduler runs the trailing flushes
	 * @param interval the shortest time between two intermediate stores
	 * @param nanoTime the clock for the interval
	 */
	WeComBotStreamWriter(String streamId, long startedMillis, Consumer<WeComBotStream> store,
			ScheduledExecutorService scheduler, Duration interval, LongSupplier nanoTime) {
		this.streamId = streamId;
		this.startedMillis = startedMillis;
		this.store = store;
		this.scheduler = scheduler;
		this.intervalNanos = interval.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * What became of this attempt, once it ended (never exceptionally).
	 * @return the outcome
	 */
	CompletableFuture<Answered> ended() {
		return this.ended;
	}

	@Override
	public synchronized void onDelta(String delta) {
		if (this.finished || delta.isEmpty() || this.textBytes > WeComBotCodec.MAX_STREAM_CONTENT_BYTES) {
			return;
		}
		this.text.append(delta);
		this.textBytes += delta.getBytes(StandardCharsets.UTF_8).length;
		long sinceStore = this.nanoTime.getAsLong() - this.storedAtNanos;
		if (!this.everStored || sinceStore >= this.intervalNanos) {
			storeCurrent();
		}
		else if (this.pendingFlush == null) {
			try {
				this.pendingFlush = this.scheduler.schedule(this::flush, this.intervalNanos - sinceStore,
						TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Shutting down: the final store (or the deadline) still ends the stream.
			}
		}
	}

	@Override
	public void onComplete(ChatReply reply) {
		Answered outcome;
		synchronized (this) {
			outcome = reply.text().isBlank() ? finish(Apology.FAILED, true) : finish(reply.text(), false);
		}
		end(outcome);
	}

	@Override
	public void onError(Throwable error) {
		Answered outcome;
		synchronized (this) {
			if (this.finished) {
				return;
			}
			Throwable cause = PlatformExchange.unwrap(error);
			if (ChannelResponder.answerLater(cause)) {
				log.info("WeCom bot stream {} has no answer yet, will retry: {}", this.streamId, cause.toString());
				outcome = stop(Answered.RETRY_LATER);
			}
			else {
				if (cause instanceof ChatException chat) {
					log.info("WeCom bot stream {} ends with an apology: {} {}", this.streamId, chat.code(),
							chat.getMessage());
				}
				else {
					log.warn("WeCom bot stream {} ends with an apology: {}", this.streamId, cause.toString());
				}
				outcome = finish(Apology.of(cause), true);
			}
		}
		end(outcome);
	}

	/**
	 * End this attempt without storing anything more (its deadline passed); whatever the
	 * answer still sends is ignored.
	 * @param outcome what the attempt ends as
	 * @return {@code false} if it had ended already
	 */
	boolean giveUp(Answered outcome) {
		Answered ending;
		synchronized (this) {
			ending = this.finished ? null : stop(outcome);
		}
		end(ending);
		return ending != null;
	}

	private synchronized void flush() {
		this.pendingFlush = null;
		if (!this.finished && !this.text.toString().equals(this.shown)) {
			storeCurrent();
		}
	}

	/** Store the final state; {@code null} if the stream had ended already. */
	private Answered finish(String content, boolean apology) {
		if (this.finished) {
			return null;
		}
		stop(null);
		this.shown = content;
		boolean stored = store(new WeComBotStream(content, true, this.startedMillis));
		return stored ? new Answered(Result.DELIVERED, apology) : Answered.RETRY_LATER;
	}

	private Answered stop(Answered outcome) {
		this.finished = true;
		if (this.pendingFlush != null) {
			this.pendingFlush.cancel(false);
			this.pendingFlush = null;
		}
		return outcome;
	}

	/** Complete outside the lock: the inbox's continuation runs on this thread. */
	private void end(Answered outcome) {
		if (outcome != null) {
			this.ended.complete(outcome);
		}
	}

	private void storeCurrent() {
		this.shown = this.text.toString();
		store(new WeComBotStream(this.shown, false, this.startedMillis));
	}

	private boolean store(WeComBotStream stream) {
		this.storedAtNanos = this.nanoTime.getAsLong();
		this.everStored = true;
		try {
			this.store.accept(stream);
			return true;
		}
		catch (RuntimeException ex) {
			log.warn("WeCom bot stream {} could not be stored ({}): {}", this.streamId, stream, ex.toString());
			return false;
		}
	}

}
