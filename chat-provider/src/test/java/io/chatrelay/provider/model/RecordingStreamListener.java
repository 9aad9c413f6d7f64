package io.chatrelay.provider.model;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;

/**
 * A {@link ModelStreamListener} that records everything it receives, for tests.
 */
public final class RecordingStreamListener implements ModelStreamListener {

	/** The deltas in arrival order. */
	public final List<String> deltas = new CopyOnWriteArrayList<>();

	/** Completed with the {@link Completion} or the {@link ChatException}. */
	public final CompletableFuture<Object> terminal = new CompletableFuture<>();

	/** How many terminal calls arrived (must never exceed 1). */
	public final AtomicInteger terminalCalls = new AtomicInteger();

	/** Calls made after a terminal call (must stay 0). */
	public final AtomicInteger callsAfterTerminal = new AtomicInteger();

	@Override
	public void onDelta(String text) {
		if (this.terminal.isDone()) {
			this.callsAfterTerminal.incrementAndGet();
		}
		this.deltas.add(text);
	}

	@Override
	public void onComplete(String model, String finishReason, TokenUsage usage) {
		this.terminalCalls.incrementAndGet();
		this.terminal.complete(new Completion(model, finishReason, usage));
	}

	@Override
	public void onError(ChatException error) {
		this.terminalCalls.incrementAndGet();
		this.terminal.complete(error);
	}

	/**
	 * A recorded normal end.
	 *
	 * @param model model
	 * @param finishReason finish reason
	 * @param usage usage
	 */
	public record Completion(String model, String finishReason, TokenUsage usage) {

	}

}
