package io.chatrelay.provider.resilience;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.TransportFailures;

/**
 * The provider's one place to unwrap asynchronous failures and classify them.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * Strip {@link CompletionException} and {@link ExecutionException} wrappers.
	 * @param failure what a future completed with
	 * @return the cause that matters
	 */
	public static Throwable unwrap(Throwable failure) {
		return TransportFailures.unwrap(failure);
	}

	/**
	 * Whether another attempt at the same vendor may succeed.
	 * @param failure any failure
	 * @return {@code true} for retriable {@link ChatException}s the vendor answered with
	 */
	public static boolean retriableAtSameVendor(Throwable failure) {
		Throwable cause = unwrap(failure);
		return cause instanceof ChatException chat && chat.retriable() && !(cause instanceof CircuitOpenException);
	}

	/**
	 * Whether the next vendor of the chain should be tried.
	 * @param failure any failure
	 * @return {@code true} for retriable errors and locally refused calls
	 */
	public static boolean worthAnotherVendor(Throwable failure) {
		return unwrap(failure) instanceof ChatException chat && chat.retriable();
	}

	/**
	 * The failure as a plain {@link ChatException}, safe to send to a consumer (which
	 * only knows the contract's classes).
	 * @param failure any failure
	 * @return a {@link ChatException} of exactly that class
	 */
	public static ChatException forConsumer(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof ChatException chat) {
			return (chat.getClass() == ChatException.class) ? chat
					: new ChatException(chat.code(), chat.getMessage(), chat.retryAfterMillis());
		}
		return new ChatException(ChatErrorCode.UNAVAILABLE, "Internal provider error");
	}

}
