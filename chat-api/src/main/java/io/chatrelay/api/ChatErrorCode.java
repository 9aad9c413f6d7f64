package io.chatrelay.api;

/**
 * Why a chat call failed, in one taxonomy shared by every vendor and every caller.
 *
 * <p>
 * {@link #retriable()} tells a caller whether the same request may succeed if sent again
 * later (or to another vendor); non-retriable errors must never be retried.
 */
public enum ChatErrorCode {

	/** The vendor throttled us (HTTP 429, quota per second or minute). */
	RATE_LIMITED(true),

	/** The vendor or every provider was unreachable, overloaded or answered 5xx. */
	UNAVAILABLE(true),

	/** The request was rejected as invalid (too long, wrong parameters). */
	BAD_REQUEST(false),

	/** The vendor refused the content (sensitive input or output). */
	CONTENT_FILTERED(false),

	/** The provider's vendor credentials are missing or wrong: an operator must act. */
	UNAUTHORIZED(false),

	/** No answer within the configured time. */
	TIMEOUT(true);

	private final boolean retriable;

	ChatErrorCode(boolean retriable) {
		this.retriable = retriable;
	}

	/**
	 * Whether sending the same request again may succeed.
	 * @return {@code true} for transient failures
	 */
	public boolean retriable() {
		return this.retriable;
	}

}
