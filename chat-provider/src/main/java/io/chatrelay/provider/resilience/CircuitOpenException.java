package io.chatrelay.provider.resilience;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;

/**
 * A vendor call refused locally (circuit breaker open, bulkhead full, local rate limit)
 * without reaching the vendor. Retriable for the router, which moves on to the next
 * vendor, but never retried against the same vendor. Provider-internal: the router turns
 * it into a plain {@link ChatException} before it crosses the wire.
 */
public class CircuitOpenException extends ChatException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param code {@link ChatErrorCode#UNAVAILABLE} or {@link ChatErrorCode#RATE_LIMITED}
	 * @param message which vendor and why, safe to show
	 */
	public CircuitOpenException(ChatErrorCode code, String message) {
		super(code, message);
	}

}
