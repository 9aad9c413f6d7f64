package io.chatrelay.provider.model.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;

/**
 * One whole-answer HTTP call to a vendor, non-blocking: bounded by the total timeout,
 * with the HTTP exchange aborted when the time runs out or the caller cancels, and every
 * failure mapped to a {@link ChatException}.
 */
public final class UnaryExchange {

	private UnaryExchange() {
	}

	/**
	 * Send a request and turn the answer into a result.
	 * @param <T> the result type
	 * @param client the vendor's HTTP client
	 * @param request the request
	 * @param totalTimeout the longest wait for the whole answer
	 * @param vendor the vendor's name for messages
	 * @param answer reads any HTTP answer (it may throw a {@link ChatException} for an
	 * error answer)
	 * @param failures maps transport failures (the vendor's error mapper)
	 * @return the result, completed exceptionally with a {@link ChatException}
	 */
	public static <T> CompletableFuture<T> send(HttpClient client, HttpRequest request, Duration totalTimeout,
			String vendor, Function<HttpResponse<String>, T> answer, Function<Throwable, ChatException> failures) {
		CompletableFuture<HttpResponse<String>> exchange;
		try {
			exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(failures.apply(ex));
		}
		CompletableFuture<T> result = new CompletableFuture<>();
		exchange.thenApply(answer)
			.orTimeout(totalTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((value, failure) -> {
				if (failure == null) {
					result.complete(value);
				}
				else if (TransportFailures.unwrap(failure) instanceof TimeoutException) {
					exchange.cancel(true);
					result.completeExceptionally(new ChatException(ChatErrorCode.TIMEOUT,
							vendor + " did not answer within " + totalTimeout));
				}
				else {
					result.completeExceptionally(failures.apply(failure));
				}
			});
		result.whenComplete((value, failure) -> {
			if (failure instanceof CancellationException) {
				exchange.cancel(true);
			}
		});
		return result;
	}

}
