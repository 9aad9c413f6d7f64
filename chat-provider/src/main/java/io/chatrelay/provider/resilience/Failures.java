package io.chatrelay.provider.resilience;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.model.http.TransportFailures;

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
	 * Whether a failure says something about the vendor's health, so that its circuit
	 * breaker counts it: a retriable error the vendor answered with (or a timeout waiting
	 * for it), not a local refusal and not a bad request.
	 * @param failure any failure
	 * @return {@code true} for retriable {@link ChatException}s that reached the vendor
	 */
	public static boolean vendorFault(Throwable failure) {
		Throwable cause = unwrap(failure);
		return cause instanceof ChatException chat && chat.retriable() && !(cause instanceof CircuitOpenException);
	}

	/**
	 * Whether another attempt at the same vendor, after a backoff, may succeed: a vendor
	 * fault, except a used-up quota (which will not come back in seconds) and a timeout
	 * (the caller already waited the whole first-token time; the router tries the next
	 * vendor, or the same one once more when it is the last of the chain).
	 * @param failure any failure
	 * @return {@code true} when the vendor's retry should try again
	 */
	public static boolean retriableAtSameVendor(Throwable failure) {
		return vendorFault(failure) && !isTimeout(failure) && !(unwrap(failure) instanceof QuotaExhaustedException);
	}

	/**
	 * Whether a failure is a timeout waiting for the vendor.
	 * @param failure any failure
	 * @return {@code true} for {@link ChatErrorCode#TIMEOUT}
	 */
	public static boolean isTimeout(Throwable failure) {
		return unwrap(failure) instanceof ChatException chat && chat.code() == ChatErrorCode.TIMEOUT;
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
