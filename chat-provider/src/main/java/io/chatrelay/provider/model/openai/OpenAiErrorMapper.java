package io.chatrelay.provider.model.openai;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.model.compat.CompatError;
import io.chatrelay.provider.model.compat.CompatErrorMapper;
import io.chatrelay.provider.model.http.RetryAfter;
import io.chatrelay.provider.model.http.TransportFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where OpenAI failures become {@link ChatException}s: HTTP status plus the
 * body's {@code error.code}, stream error events and transport exceptions.
 *
 * <p>
 * Messages are safe to show: they hold the HTTP status, the vendor's error code and
 * message (one line, at most {@value #MAX_VENDOR_MESSAGE} characters, with anything that
 * looks like a key redacted) and the {@code x-request-id}; never the key, the prompt or a
 * raw non-JSON body.
 */
final class OpenAiErrorMapper implements CompatErrorMapper {

	private static final Logger log = LoggerFactory.getLogger(OpenAiErrorMapper.class);

	static final int MAX_VENDOR_MESSAGE = 200;

	private static final Set<String> CONTENT_FILTER_CODES = Set.of("content_filter", "content_policy_violation");

	private static final String INSUFFICIENT_QUOTA = "insufficient_quota";

	private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_\\-]{8,}");

	private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");

	private final String apiKey;

	private final Clock clock;

	/**
	 * Create a mapper.
	 * @param apiKey the configured key, redacted from every message (may be blank)
	 * @param clock the clock for {@code Retry-After} HTTP-dates
	 */
	OpenAiErrorMapper(String apiKey, Clock clock) {
		this.apiKey = (apiKey != null) ? apiKey : "";
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Map a non-2xx response.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the response body, possibly not JSON
	 * @return the exception to fail the call with
	 */
	@Override
	public ChatException fromResponse(int status, HttpHeaders headers, String body) {
		CompatError error = CompatError.read(body);
		String code = (error != null) ? firstNonBlank(error.code(), error.type()) : null;
		String message = describe("OpenAI HTTP " + status, error, headers);
		if (status == 401 || status == 403) {
			return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
		}
		if (status == 429) {
			// insufficient_quota is a 429 too, but no retry at OpenAI can succeed until
			// someone pays or raises the limit: the router moves to the next vendor at
			// once.
			if (isQuota(error)) {
				return new QuotaExhaustedException(message);
			}
			return new ChatException(ChatErrorCode.RATE_LIMITED, message, retryAfterMillis(headers));
		}
		if (status == 400 || status == 404 || status == 422) {
			return new ChatException(isContentFilter(code) ? ChatErrorCode.CONTENT_FILTERED : ChatErrorCode.BAD_REQUEST,
					message);
		}
		if (status == 408) {
			return new ChatException(ChatErrorCode.TIMEOUT, message);
		}
		if (status == 409 || status >= 500) {
			return new ChatException(ChatErrorCode.UNAVAILABLE, message, retryAfterMillis(headers));
		}
		if (status >= 400) {
			return new ChatException(ChatErrorCode.BAD_REQUEST, message);
		}
		return new ChatException(ChatErrorCode.UNAVAILABLE, message);
	}

	/**
	 * Map an {@code {"error":…}} object found in a 2xx body or a stream event, where
	 * there is no meaningful HTTP status.
	 * @param error the error object
	 * @param headers the response headers, for the request id (may be {@code null})
	 * @return the exception to fail the call with
	 */
	@Override
	public ChatException fromErrorObject(CompatError error, HttpHeaders headers) {
		String message = describe("OpenAI stream error", error, headers);
		String code = Objects.requireNonNullElse(error.code(), "");
		String type = Objects.requireNonNullElse(error.type(), "");
		if (isQuota(error)) {
			return new QuotaExhaustedException(message);
		}
		if ("invalid_api_key".equals(code) || "authentication_error".equals(type)) {
			return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
		}
		if ("rate_limit_exceeded".equals(code) || "rate_limit_error".equals(type)) {
			return new ChatException(ChatErrorCode.RATE_LIMITED, message);
		}
		if (isContentFilter(code)) {
			return new ChatException(ChatErrorCode.CONTENT_FILTERED, message);
		}
		if ("invalid_request_error".equals(type)) {
			return new ChatException(ChatErrorCode.BAD_REQUEST, message);
		}
		return new ChatException(ChatErrorCode.UNAVAILABLE, message);
	}

	/**
	 * Map a transport failure, unwrapping {@link CompletionException} and
	 * {@link ExecutionException}.
	 * @param failure what the HTTP client or a timer reported
	 * @return the exception to fail the call with
	 */
	@Override
	public ChatException fromThrowable(Throwable failure) {
		Throwable cause = TransportFailures.unwrap(failure);
		if (cause instanceof ChatException chat) {
			return chat;
		}
		// Exception class names and transport details go to the log, not to callers.
		log.warn("OpenAI call failed: {}", safe(String.valueOf(cause)));
		return TransportFailures.map("OpenAI", cause);
	}

	private static boolean isContentFilter(String code) {
		return code != null && CONTENT_FILTER_CODES.contains(code);
	}

	private static boolean isQuota(CompatError error) {
		return error != null && (INSUFFICIENT_QUOTA.equals(error.code()) || INSUFFICIENT_QUOTA.equals(error.type()));
	}

	/**
	 * OpenAI's {@code retry-after-ms} when present (more precise), else
	 * {@code Retry-After}.
	 */
	private long retryAfterMillis(HttpHeaders headers) {
		long millis = RetryAfter.millisHeader(headers.firstValue("retry-after-ms").orElse(null));
		return (millis > 0) ? millis : RetryAfter.toMillis(headers.firstValue("Retry-After").orElse(null), this.clock);
	}

	private String describe(String prefix, CompatError error, HttpHeaders headers) {
		StringBuilder message = new StringBuilder(prefix);
		if (error != null) {
			String code = firstNonBlank(error.code(), error.type());
			if (code != null) {
				message.append(" (").append(safe(code)).append(')');
			}
			if (error.message() != null && !error.message().isBlank()) {
				message.append(": ").append(safe(error.message()));
			}
		}
		String requestId = (headers != null) ? headers.firstValue("x-request-id").orElse(null) : null;
		if (requestId != null && !requestId.isBlank()) {
			message.append(" [x-request-id ").append(safe(requestId)).append(']');
		}
		return message.toString();
	}

	/**
	 * One line, redacted, truncated.
	 */
	private String safe(String text) {
		if (text == null) {
			return "";
		}
		String result = text;
		if (this.apiKey.length() >= 4) {
			result = result.replace(this.apiKey, "****");
		}
		result = KEY_LIKE.matcher(result).replaceAll("sk-****");
		result = BEARER.matcher(result).replaceAll("Bearer ****");
		result = result.replaceAll("\\p{Cntrl}+", " ").strip();
		return (result.length() > MAX_VENDOR_MESSAGE) ? result.substring(0, MAX_VENDOR_MESSAGE) + "…" : result;
	}

	private static String firstNonBlank(String first, String second) {
		if (first != null && !first.isBlank()) {
			return first;
		}
		return (second != null && !second.isBlank()) ? second : null;
	}

}
