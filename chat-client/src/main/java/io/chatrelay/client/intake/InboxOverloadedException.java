package io.chatrelay.client.intake;

import java.time.Duration;

/**
 * A callback refused, before anything was stored, because the inbox is past the nodes'
 * capacity: answered 503 with {@code Retry-After}, so that the platform delivers it again
 * later.
 */
public class InboxOverloadedException extends RuntimeException {

	private final Duration retryAfter;

	/**
	 * Create the refusal.
	 * @param retryAfter when to deliver again
	 */
	public InboxOverloadedException(Duration retryAfter) {
		super("The inbox is past the nodes' capacity; deliver again after " + retryAfter.toSeconds() + " s", null,
				false, false);
		this.retryAfter = retryAfter;
	}

	/**
	 * When to deliver again.
	 * @return the hint
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
