package io.chatrelay.provider.model.zhipu;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.Objects;
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
 * The one place where Zhipu failures become {@link ChatException}s: the body's business
 * {@code error.code} first, then the HTTP status; stream error events, abnormal finish
 * reasons and transport exceptions.
 *
 * <p>
 * The business code wins because Zhipu reuses HTTP statuses: arrears (1113) arrive as
 * HTTP 429 like a concurrency limit (1302), but no retry helps until someone pays.
 * <ul>
 * <li>1000–1004 (authentication), 1100–1199 (account, 1113 arrears), 1220 (no access to
 * the API), 1309 (plan expired): {@code UNAUTHORIZED}, an operator must act. The
 * authentication codes (and 401/403 without a code) also report {@code onAuthRejected} so
 * the next call signs a new token (1003 is "token expired").</li>
 * <li>1301 (and 1300, policy block): {@code CONTENT_FILTERED}.</li>
 * <li>1302, 1303, 1305 (concurrency, frequency, overload): {@code RATE_LIMITED} with
 * {@code Retry-After}.</li>
 * <li>1304 (daily limit), 1308 (plan usage limit): a {@code QuotaExhaustedException}
 * ({@code RATE_LIMITED}, naming the quota). Retrying at Zhipu will not succeed, so it is
 * not retried there, but routing fails over to another vendor instead of failing the
 * user.</li>
 * <li>1234 (Zhipu-side network error) and 500: {@code UNAVAILABLE}.</li>
 * <li>Other 1200–1299 (1211 model not found, 1214 bad parameter, 1261 prompt too long):
 * {@code BAD_REQUEST}.</li>
 * <li>Without a known code: 401/403 {@code UNAUTHORIZED}; 408 {@code TIMEOUT}; 409/429
 * {@code RATE_LIMITED}; 5xx (503 is Zhipu's "server flow exceeded") {@code UNAVAILABLE};
 * other 4xx {@code BAD_REQUEST}.</li>
 * </ul>
 * Messages are safe to show: status, code and the vendor's message (one line, at most
 * {@value #MAX_VENDOR_MESSAGE} characters, keys and tokens redacted); never the key, a
 * token, the prompt or a raw non-JSON body.
 */
final class ZhipuErrorMapper implements CompatErrorMapper {

	private static final Logger logger = LoggerFactory.getLogger(ZhipuErrorMapper.class);

	static final int MAX_VENDOR_MESSAGE = 200;

	private static final Pattern JWT_LIKE = Pattern
		.compile("eyJ[A-Za-z0-9_\\-]*\\.[A-Za-z0-9_\\-]+\\.?[A-Za-z0-9_\\-]*");

	private static final Pattern KEY_LIKE = Pattern.compile("[A-Za-z0-9]{16,}\\.[A-Za-z0-9]{8,}");

	private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");

	private final String apiKey;

	private final Clock clock;

	private final Runnable onAuthRejected;

	/**
	 * Create a mapper.
	 * @param apiKey the configured key, redacted from every message (may be blank)
	 * @param clock the clock for {@code Retry-After} HTTP-dates
	 * @param onAuthRejected called when Zhipu rejects the credentials
	 */
	ZhipuErrorMapper(String apiKey, Clock clock, Runnable onAuthRejected) {
		this.apiKey = (apiKey != null) ? apiKey : "";
		this.clock = Objects.requireNonNull(clock, "clock");
		this.onAuthRejected = Objects.requireNonNull(onAuthRejected, "onAuthRejected");
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
		ChatException byCode = fromBusinessCode(error, "Zhipu HTTP " + status, headers);
		if (byCode != null) {
			return byCode;
		}
		String message = describe("Zhipu HTTP " + status, error);
		if (status == 401 || status == 403) {
			this.onAuthRejected.run();
			return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
		}
		if (status == 408) {
			return new ChatException(ChatErrorCode.TIMEOUT, message);
		}
		if (status == 409 || status == 429) {
			return new ChatException(ChatErrorCode.RATE_LIMITED, message, retryAfterMillis(headers));
		}
		if (status >= 500) {
			return new ChatException(ChatErrorCode.UNAVAILABLE, message, retryAfterMillis(headers));
		}
		if (status >= 400) {
			return new ChatException(ChatErrorCode.BAD_REQUEST, message);
		}
		return new ChatException(ChatErrorCode.UNAVAILABLE, message);
	}

	/**
	 * Map an {@code {"error":…}} object found in a 2xx body or a stream event, where
	 * there is no meaningful HTTP status; an unknown code is {@code UNAVAILABLE}.
	 * @param error the error object
	 * @param headers the response headers (may be {@code null})
	 * @return the exception to fail the call with
	 */
	@Override
	public ChatException fromErrorObject(CompatError error, HttpHeaders headers) {
		ChatException byCode = fromBusinessCode(error, "Zhipu stream error", headers);
		return (byCode != null) ? byCode
				: new ChatException(ChatErrorCode.UNAVAILABLE, describe("Zhipu stream error", error));
	}

	/**
	 * Map an abnormal {@code finish_reason}. {@code sensitive} is
	 * {@code CONTENT_FILTERED} whether or not text was already delivered: Zhipu withdraws
	 * such answers, so a partial text must not be taken as complete.
	 * {@code network_error} is {@code UNAVAILABLE}.
	 * @param finishReason the lower-case finish reason, may be {@code null}
	 * @param afterText whether part of the answer was already delivered
	 * @return the exception, or {@code null} for a normal finish reason
	 */
	@Override
	public ChatException fromFinishReason(String finishReason, boolean afterText) {
		if ("sensitive".equals(finishReason)) {
			return new ChatException(ChatErrorCode.CONTENT_FILTERED, afterText
					? "Zhipu withdrew the answer as sensitive content after it had started (finish_reason sensitive)"
					: "Zhipu filtered the answer as sensitive content (finish_reason sensitive)");
		}
		if ("network_error".equals(finishReason)) {
			return new ChatException(ChatErrorCode.UNAVAILABLE,
					"Zhipu failed while generating the answer (finish_reason network_error)");
		}
		return null;
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
		logger.warn("Zhipu call failed: {}", safe(String.valueOf(cause)));
		return TransportFailures.map("Zhipu", cause);
	}

	/**
	 * The mapping of the business codes this adapter knows, or {@code null} to fall back
	 * to the HTTP status.
	 */
	private ChatException fromBusinessCode(CompatError error, String prefix, HttpHeaders headers) {
		int code = numericCode(error);
		if (code < 0) {
			return null;
		}
		String message = describe(prefix, error);
		if (code >= 1000 && code <= 1004) {
			this.onAuthRejected.run();
			return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
		}
		if ((code >= 1100 && code <= 1199) || code == 1220 || code == 1309) {
			return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
		}
		if (code == 1300 || code == 1301) {
			return new ChatException(ChatErrorCode.CONTENT_FILTERED, message);
		}
		if (code == 1302 || code == 1303 || code == 1305) {
			return new ChatException(ChatErrorCode.RATE_LIMITED, message, retryAfterMillis(headers));
		}
		if (code == 1304 || code == 1308) {
			String what = (code == 1304) ? "daily quota" : "plan usage quota";
			return new QuotaExhaustedException("Zhipu " + what + " is used up; " + message);
		}
		if (code == 500 || code == 1234) {
			return new ChatException(ChatErrorCode.UNAVAILABLE, message, retryAfterMillis(headers));
		}
		if (code >= 1200 && code <= 1299) {
			return new ChatException(ChatErrorCode.BAD_REQUEST, message);
		}
		return null;
	}

	private static int numericCode(CompatError error) {
		if (error == null || error.code() == null) {
			return -1;
		}
		String code = error.code().strip();
		if (code.isEmpty() || code.length() > 9 || !code.chars().allMatch(Character::isDigit)) {
			return -1;
		}
		return Integer.parseInt(code);
	}

	private long retryAfterMillis(HttpHeaders headers) {
		return (headers != null) ? RetryAfter.toMillis(headers.firstValue("Retry-After").orElse(null), this.clock) : 0;
	}

	private String describe(String prefix, CompatError error) {
		StringBuilder message = new StringBuilder(prefix);
		if (error != null) {
			if (error.code() != null && !error.code().isBlank()) {
				message.append(" (").append(safe(error.code())).append(')');
			}
			if (error.message() != null && !error.message().isBlank()) {
				message.append(": ").append(safe(error.message()));
			}
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
			int dot = this.apiKey.indexOf('.');
			if (dot >= 0 && this.apiKey.length() - dot > 4) {
				result = result.replace(this.apiKey.substring(dot + 1), "****");
			}
		}
		result = BEARER.matcher(result).replaceAll("Bearer ****");
		result = JWT_LIKE.matcher(result).replaceAll("****");
		result = KEY_LIKE.matcher(result).replaceAll("****");
		result = result.replaceAll("\\p{Cntrl}+", " ").strip();
		return (result.length() > MAX_VENDOR_MESSAGE) ? result.substring(0, MAX_VENDOR_MESSAGE) + "…" : result;
	}

}
