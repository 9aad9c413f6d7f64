package io.chatrelay.client.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing the platform API clients share: one non-blocking JSON exchange
 * bounded by a timeout, transport failures mapped to a retriable
 * {@link PlatformApiException}, and the "refresh the token and resend once" rule.
 *
 * <p>
 * Reading is lenient (unknown fields are ignored, a body that is not JSON reads as a
 * missing node), because the clients look at error codes in any answer, whatever its
 * status. Nothing here logs a URL: platforms put tokens, keys and session ids in query
 * strings, so log lines and messages name the operation instead, or use
 * {@link #redact(URI)}.
 */
public final class PlatformExchange {

	private static final Logger logger = LoggerFactory.getLogger(PlatformExchange.class);

	private static final ObjectMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private static final int MAX_DETAIL = 200;

	private PlatformExchange() {
	}

	/**
	 * Send a request and read the answer as JSON, whatever its status.
	 * @param http the platform's client
	 * @param request the request (its own timeout bounds the wait for the headers)
	 * @param timeout the longest wait for the whole answer
	 * @param platform the platform's name for messages
	 * @param operation what is called, for messages and logs (e.g.
	 * {@code "message/send"}), never a URL
	 * @return the answer; fails with a retriable {@link PlatformApiException} (status 0)
	 * when none arrives in time or the connection fails. Cancelling it aborts the
	 * exchange.
	 */
	public static CompletableFuture<Answer> send(HttpClient http, HttpRequest request, Duration timeout,
			String platform, String operation) {
		CompletableFuture<HttpResponse<String>> exchange;
		try {
			exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(transportFailure(platform, operation, timeout, ex));
		}
		CompletableFuture<Answer> result = new CompletableFuture<>();
		// Time out a copy: the client's own future must stay incomplete so that cancel
		// aborts it.
		exchange.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((response, failure) -> {
			if (failure != null) {
				exchange.cancel(true);
				result.completeExceptionally(transportFailure(platform, operation, timeout, failure));
				return;
			}
			logger.debug("{} {} answered HTTP {}", platform, operation, response.statusCode());
			result.complete(new Answer(response.statusCode(), readTree(response.body())));
		});
		result.whenComplete((answer, failure) -> {
			if (failure instanceof CancellationException) {
				exchange.cancel(true);
			}
		});
		return result;
	}

	/**
	 * Call with the cached token; when the platform rejects the token as invalid or
	 * expired, drop it from the cache, fetch a new one and call once more. A second
	 * rejection is the result.
	 * @param <T> the call's result
	 * @param tokens the platform's token cache
	 * @param call one attempt with a token value
	 * @param rejectsToken whether a failure means "this token is invalid or expired"
	 * @return the call's result; fails with the unwrapped failure (not a
	 * {@link CompletionException})
	 */
	public static <T> CompletableFuture<T> withToken(AccessTokenCache tokens,
			Function<String, CompletableFuture<T>> call, Predicate<PlatformApiException> rejectsToken) {
		CompletableFuture<T> attempts = tokens.get()
			.thenCompose((token) -> call.apply(token).exceptionallyCompose((failure) -> {
				Throwable cause = unwrap(failure);
				if (cause instanceof PlatformApiException rejected && rejectsToken.test(rejected)) {
					logger.info("{} rejected the cached token (code {}); resending once with a new one",
							rejected.platform(), rejected.code());
					tokens.invalidate(token);
					return tokens.get().thenCompose(call);
				}
				return CompletableFuture.failedFuture(cause);
			}));
		CompletableFuture<T> result = new CompletableFuture<>();
		attempts.whenComplete((value, failure) -> {
			if (failure == null) {
				result.complete(value);
			}
			else {
				result.completeExceptionally(unwrap(failure));
			}
		});
		return result;
	}

	/**
	 * Serialize a wire record.
	 * @param value the record
	 * @return its JSON as UTF-8
	 * @throws IllegalArgumentException when it cannot be serialized
	 */
	public static byte[] toJson(Object value) {
		try {
			return JSON.writeValueAsBytes(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("Cannot encode " + value.getClass().getSimpleName() + " as JSON", ex);
		}
	}

	/**
	 * Serialize a value into a JSON string, for platforms that nest JSON in a string
	 * field (Feishu {@code content}, DingTalk {@code msgParam}).
	 * @param value the value
	 * @return its JSON text
	 * @throws IllegalArgumentException when it cannot be serialized
	 */
	public static String toJsonString(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("Cannot encode " + value.getClass().getSimpleName() + " as JSON", ex);
		}
	}

	/**
	 * Whether an HTTP status alone makes a failure worth retrying.
	 * @param status the status
	 * @return {@code true} for 408, 429 and 5xx
	 */
	public static boolean retriableStatus(int status) {
		return status == 408 || status == 429 || status >= 500;
	}

	/**
	 * The failure for an answer that carries no platform error code.
	 * @param platform the platform's name
	 * @param operation what was called
	 * @param answer the answer
	 * @return retriable for 408, 429, 5xx and unreadable 2xx answers
	 */
	public static PlatformApiException statusFailure(String platform, String operation, Answer answer) {
		if (answer.isSuccess()) {
			return new PlatformApiException(platform, answer.status(), null, true,
					platform + " " + operation + " sent an unreadable answer (HTTP " + answer.status() + ")");
		}
		return new PlatformApiException(platform, answer.status(), null, retriableStatus(answer.status()),
				platform + " " + operation + " answered HTTP " + answer.status());
	}

	/**
	 * A platform's error message, shortened for exception messages and logs.
	 * @param message the platform's {@code errmsg}/{@code msg}/{@code message}, may be
	 * {@code null}
	 * @return at most 200 characters, empty for none
	 */
	public static String detail(String message) {
		if (message == null) {
			return "";
		}
		String stripped = message.strip();
		return (stripped.length() > MAX_DETAIL) ? stripped.substring(0, MAX_DETAIL) + "…" : stripped;
	}

	/**
	 * A URI fit for a log line: scheme, host, port and path, without the query (where
	 * platforms carry tokens, webhook keys and session ids) or user info.
	 * @param uri the URI
	 * @return the redacted form
	 */
	public static String redact(URI uri) {
		if (uri == null) {
			return "null";
		}
		StringBuilder redacted = new StringBuilder();
		if (uri.getScheme() != null) {
			redacted.append(uri.getScheme()).append("://");
		}
		if (uri.getHost() != null) {
			redacted.append(uri.getHost());
		}
		if (uri.getPort() >= 0) {
			redacted.append(':').append(uri.getPort());
		}
		if (uri.getRawPath() != null) {
			redacted.append(uri.getRawPath());
		}
		if (uri.getRawQuery() != null) {
			redacted.append("?***");
		}
		return redacted.toString();
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

	private static RuntimeException transportFailure(String platform, String operation, Duration timeout,
			Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof PlatformApiException platformFailure) {
			return platformFailure;
		}
		if (cause instanceof CancellationException cancelled) {
			return cancelled;
		}
		if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
			return new PlatformApiException(platform, 0, null, true,
					platform + " " + operation + " did not answer within " + timeout, cause);
		}
		if (cause instanceof IOException) {
			return new PlatformApiException(platform, 0, null, true,
					"Connection to " + platform + " failed during " + operation, cause);
		}
		// Not the network: a request the client refused to send (bad header, bad URI).
		return new PlatformApiException(platform, 0, null, false,
				"Cannot send " + platform + " " + operation + ": " + cause.getClass().getSimpleName());
	}

	private static JsonNode readTree(String body) {
		if (body == null || body.isBlank()) {
			return MissingNode.getInstance();
		}
		try {
			JsonNode tree = JSON.readTree(body);
			return (tree != null) ? tree : MissingNode.getInstance();
		}
		catch (IOException ex) {
			return MissingNode.getInstance();
		}
	}

	/**
	 * A platform's answer.
	 *
	 * @param status the HTTP status
	 * @param body the body as JSON; a {@link MissingNode} when empty or not JSON
	 */
	public record Answer(int status, JsonNode body) {

		/**
		 * Whether the status is 2xx.
		 * @return {@code true} for 200–299
		 */
		public boolean isSuccess() {
			return this.status / 100 == 2;
		}

		/**
		 * A text field of the body.
		 * @param field the field's name
		 * @return its text, {@code null} when absent, null or not a scalar
		 */
		public String text(String field) {
			JsonNode node = this.body.get(field);
			return (node == null || node.isNull() || node.isContainerNode()) ? null : node.asText();
		}

	}

}
