package io.chatrelay.provider.model.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;

/**
 * What every vendor adapter does with a failure that is not the vendor's answer: unwrap
 * the future's wrappers and map transport problems (timeouts, refused or broken
 * connections, cancellation) to a {@link ChatException} whose message names the vendor
 * but never the Java exception class. Vendor-specific answers are mapped by each
 * adapter's error mapper.
 */
public final class TransportFailures {

	private TransportFailures() {
	}

	/**
	 * Strip {@link CompletionException} and {@link ExecutionException} wrappers.
	 * @param failure what a future completed with
	 * @return the cause that matters
	 */
	public static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Map an unwrapped transport failure.
	 * @param vendor the vendor's name for messages ({@code OpenAI}, {@code Zhipu}, ...)
	 * @param cause the unwrapped failure, not a {@link ChatException}
	 * @return the exception to fail the call with
	 */
	public static ChatException map(String vendor, Throwable cause) {
		if (cause instanceof HttpTimeoutException) {
			return new ChatException(ChatErrorCode.TIMEOUT, vendor + " did not start answering in time");
		}
		if (cause instanceof TimeoutException) {
			return new ChatException(ChatErrorCode.TIMEOUT, vendor + " did not finish answering in time");
		}
		if (cause instanceof ConnectException) {
			return new ChatException(ChatErrorCode.UNAVAILABLE, "Cannot connect to " + vendor);
		}
		if (cause instanceof IOException) {
			return new ChatException(ChatErrorCode.UNAVAILABLE, "Connection to " + vendor + " failed");
		}
		if (cause instanceof CancellationException) {
			return new ChatException(ChatErrorCode.UNAVAILABLE, vendor + " call was cancelled");
		}
		return new ChatException(ChatErrorCode.UNAVAILABLE, "Unexpected failure calling " + vendor);
	}

}
