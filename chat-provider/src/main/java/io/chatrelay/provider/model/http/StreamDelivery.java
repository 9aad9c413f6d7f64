package io.chatrelay.provider.model.http;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelStreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a stream to its {@link ModelStreamListener} under the port's contract,
 * whatever threads the adapter uses (HTTP client threads, timers, the caller cancelling):
 * calls are serialised, at most one terminal call is ever made, and nothing is delivered
 * once the stream is closed. Every adapter routes its listener calls through one
 * instance.
 *
 * <p>
 * The methods return whether the call closed the stream (or whether it is still open, for
 * deltas) so the adapter knows when to release its timers and connection. A listener that
 * throws from {@code onDelta} gets one {@code onError(UNAVAILABLE)} and the stream
 * closes; exceptions from terminal calls are logged and swallowed.
 */
public final class StreamDelivery {

	private static final Logger logger = LoggerFactory.getLogger(StreamDelivery.class);

	private final ModelStreamListener listener;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile boolean closed;

	/**
	 * Guard a listener.
	 * @param listener the caller's listener
	 */
	public StreamDelivery(ModelStreamListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
	}

	/**
	 * Deliver a piece of text unless the stream is closed; empty text is skipped.
	 * @param text the delta
	 * @return whether the stream is still open afterwards
	 */
	public boolean delta(String text) {
		this.lock.lock();
		try {
			if (this.closed) {
				return false;
			}
			if (text == null || text.isEmpty()) {
				return true;
			}
			try {
				this.listener.onDelta(text);
				return !this.closed;
			}
			catch (RuntimeException ex) {
				logger.warn("Stream listener failed on a delta; ending the stream", ex);
				this.closed = true;
				safely(() -> this.listener
					.onError(new ChatException(ChatErrorCode.UNAVAILABLE, "stream listener failed on a delta")));
				return false;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * End the stream normally, unless it is already closed.
	 * @param model the model that answered
	 * @param finishReason the finish reason
	 * @param usage tokens billed
	 * @return whether this call closed the stream
	 */
	public boolean complete(String model, String finishReason, TokenUsage usage) {
		return terminate(() -> this.listener.onComplete(model, finishReason, usage));
	}

	/**
	 * End the stream with an error, unless it is already closed.
	 * @param error the mapped error
	 * @return whether this call closed the stream
	 */
	public boolean fail(ChatException error) {
		Objects.requireNonNull(error, "error");
		return terminate(() -> this.listener.onError(error));
	}

	/**
	 * Close the stream silently (the caller cancelled): the listener gets nothing more,
	 * not even a terminal call. When this returns, no listener call is in progress on
	 * another thread.
	 * @return whether this call closed the stream
	 */
	public boolean close() {
		return terminate(() -> {
		});
	}

	/**
	 * Whether the stream still accepts calls.
	 * @return {@code false} once a terminal call or {@link #close()} happened
	 */
	public boolean isOpen() {
		return !this.closed;
	}

	private boolean terminate(Runnable call) {
		this.lock.lock();
		try {
			if (this.closed) {
				return false;
			}
			this.closed = true;
			safely(call);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	private static void safely(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Stream listener failed on a terminal call", ex);
		}
	}

}
