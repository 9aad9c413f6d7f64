package io.chatrelay.provider.model;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;

/**
 * A vendor refused because an account quota is used up (OpenAI
 * {@code insufficient_quota}, Zhipu 1304/1308, ERNIE v1 error 17). It is
 * {@link ChatErrorCode#RATE_LIMITED}, so the router tries the next vendor, but no retry
 * at the same vendor can succeed until someone pays or the day turns, so it is never
 * retried there. Provider-internal: the router turns it into a plain
 * {@link ChatException} before it crosses the wire.
 */
public class QuotaExhaustedException extends ChatException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param message which quota, safe to show
	 */
	public QuotaExhaustedException(String message) {
		super(ChatErrorCode.RATE_LIMITED, message);
	}

}
