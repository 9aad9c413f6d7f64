package io.chatrelay.client.channel.wecombot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatReply;
import io.chatrelay.client.channel.Apology;
import io.chatrelay.client.channel.PlatformExchange;
import io.chatrelay.client.conversation.AnswerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a streamed answer into the states of one WeCom bot stream: the deltas accumulate
 * (WeCom shows the whole content each time), and the state is stored at most once per
 * interval while deltas arrive (a late delta is flushed by the scheduler after the rest
 * of the interval), then once more, final, on completion or failure. A failure shows an
 * {@link Apology}. Stores are serialized, so a late flush never overwrites the final
 * state.
 * <p>
 * A store that fails is logged and not retried: the next store carries everything, and a
 * stream that never reaches its final state is ended by the deadline rule of
 * {@link WeComBotStream#asOf}.
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
	public synchronized void onComplete(ChatReply reply) {
		finish(reply.text());
	}

	@Override
	public synchronized void onError(Throwable error) {
		Throwable cause = PlatformExchange.unwrap(error);
		if (cause instanceof ChatException chat) {
			log.info("WeCom bot stream {} ends with an apology: {} {}", this.streamId, chat.code(), chat.getMessage());
		}
		else {
			log.warn("WeCom bot stream {} ends with an apology: {}", this.streamId, cause.toString());
		}
		finish(Apology.of(cause));
	}

	/**
	 * What the stream shows now, without a store: the first reply to the callback uses it
	 * (a reset is already final by then).
	 * @return the current state
	 */
	synchronized WeComBotStream current() {
		return new WeComBotStream(this.finished ? this.shown : this.text.toString(), this.finished, this.startedMillis);
	}

	private synchronized void flush() {
		this.pendingFlush = null;
		if (!this.finished && !this.text.toString().equals(this.shown)) {
			storeCurrent();
		}
	}

	private void finish(String content) {
		if (this.finished) {
			return;
		}
		this.finished = true;
		if (this.pendingFlush != null) {
			this.pendingFlush.cancel(false);
			this.pendingFlush = null;
		}
		this.shown = content;
		store(new WeComBotStream(content, true, this.startedMillis));
	}

	private void storeCurrent() {
		this.shown = this.text.toString();
		store(new WeComBotStream(this.shown, false, this.startedMillis));
	}

	private void store(WeComBotStream stream) {
		this.storedAtNanos = this.nanoTime.getAsLong();
		this.everStored = true;
		try {
			this.store.accept(stream);
		}
		catch (RuntimeException ex) {
			log.warn("WeCom bot stream {} could not be stored ({}): {}", this.streamId, stream, ex.toString());
		}
	}

}
