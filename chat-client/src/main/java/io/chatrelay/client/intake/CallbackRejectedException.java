package io.chatrelay.client.intake;

import java.util.Objects;

/**
 * A platform callback that is not processed: it failed verification or could not be read.
 * The message is for the log (never a secret, never the body); the platform only sees the
 * status of {@link Reason}.
 */
public class CallbackRejectedException extends RuntimeException {

	private final Reason reason;

	/**
	 * Create a rejection.
	 * @param reason why, which decides the HTTP status
	 * @param message what was wrong, safe to log
	 */
	public CallbackRejectedException(Reason reason, String message) {
		super(message);
		this.reason = Objects.requireNonNull(reason, "reason");
	}

	/**
	 * Create a rejection caused by another failure.
	 * @param reason why, which decides the HTTP status
	 * @param message what was wrong, safe to log
	 * @param cause the failure (for example a parser's)
	 */
	public CallbackRejectedException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = Objects.requireNonNull(reason, "reason");
	}

	/**
	 * Why the callback was rejected.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why a callback is rejected.
	 */
	public enum Reason {

		/** Signature missing or wrong. */
		SIGNATURE(401),

		/** Timestamp outside the accepted window. */
		STALE(401),

		/** Decrypted, but addressed to another corp, app or bot. */
		WRONG_RECEIVER(401),

		/**
		 * A valid signature reused for another message after the platform's replay window
		 * (DingTalk signs only the timestamp).
		 */
		REPLAYED(401),

		/** Not the shape the platform sends (bad XML/JSON, DOCTYPE, missing fields). */
		MALFORMED(400);

		private final int status;

		Reason(int status) {
			this.status = status;
		}

		/**
		 * The HTTP status answered to the platform.
		 * @return the status
		 */
		public int status() {
			return this.status;
		}

	}

}
