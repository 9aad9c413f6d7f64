package io.chatrelay.api;

import java.util.Objects;

/**
 * The only exception that crosses the {@link ChatService} boundary.
 *
 * <p>
 * It is declared in the service's {@code throws} clauses so that Dubbo hands it to the
 * consumer as it is instead of flattening it into a bare {@code RuntimeException}. Its
 * message is shown to operators and may reach end users: it never contains secrets or
 * message bodies.
 */
public class ChatException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final ChatErrorCode code;

	private final long retryAfterMillis;

	/**
	 * Create an exception without a retry hint.
	 * @param code why the call failed
	 * @param message a safe, human-readable description
	 */
	public ChatException(ChatErrorCode code, String message) {
		this(code, message, 0);
	}

	/**
	 * Create an exception with a retry hint.
	 * @param code why the call failed
	 * @param message a safe, human-readable description
	 * @param retryAfterMillis how long the vendor asked us to wait, 0 if it did not say
	 */
	public ChatException(ChatErrorCode code, String message, long retryAfterMillis) {
		super(message, null, false, false);
		this.code = Objects.requireNonNull(code, "code");
		this.retryAfterMillis = Math.max(0, retryAfterMillis);
	}

	/**
	 * The error category.
	 * @return never {@code null}
	 */
	public ChatErrorCode code() {
		return this.code;
	}

	/**
	 * How long the vendor asked callers to wait before retrying.
	 * @return milliseconds, 0 when unknown
	 */
	public long retryAfterMillis() {
		return this.retryAfterMillis;
	}

	/**
	 * Shortcut for {@code code().retriable()}.
	 * @return whether a retry may succeed
	 */
	public boolean retriable() {
		return this.code.retriable();
	}

	@Override
	public String toString() {
		return "ChatException[" + this.code + "]: " + getMessage();
	}

}
