package io.chatrelay.provider.model.ernie;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.model.ernie.ErnieWire.VendorError;
import io.chatrelay.provider.model.http.RetryAfter;
import io.chatrelay.provider.model.http.TransportFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where Qianfan failures become {@link ChatException}s: v1 business codes
 * (sent with HTTP 200, so every body is inspected), v2 HTTP status plus
 * {@code error.code}, OAuth token errors and transport exceptions.
 *
 * <p>
 * The v1 table follows the brief and Baidu's SDK {@code APIErrorCode} enum: quotas and
 * throttles (4, 17, 18, 19, 336501, 336502 and any other 3365xx) are
 * {@code RATE_LIMITED}; 1, 2, 336000, 336100 {@code UNAVAILABLE}; 6, 13, 14, 15, 336004
 * {@code UNAUTHORIZED}; parameter errors {@code BAD_REQUEST}; unknown codes
 * {@code UNAVAILABLE}. (The SDK also retries 15 "app not exist"; an operator must fix
 * that, so it is {@code UNAUTHORIZED} here.) 110/111 (invalid or expired access token)
 * are not mapped: they become a {@link TokenRejected} so the adapter can refresh the
 * token and resend once; if that fails too they end as {@code UNAUTHORIZED}.
 *
 * <p>
 * Messages are safe to show: the API generation, the vendor code and message (one line,
 * at most {@value #MAX_VENDOR_MESSAGE} characters, secrets, access tokens and
 * {@code access_token}/{@code client_secret} query values redacted) and the request id;
 * never an exception class name, the prompt or a raw non-JSON body.
 */
final class ErnieErrorMapper {

	private static final Logger logger = LoggerFactory.getLogger(ErnieErrorMapper.class);

	static final int MAX_VENDOR_MESSAGE = 200;

	/** v1 "Open api daily request limit reached". */
	private static final int DAILY_LIMIT = 17;

	private static final Map<Integer, ChatErrorCode> V1_CODES = Map.ofEntries(Map.entry(4, ChatErrorCode.RATE_LIMITED),
			Map.entry(17, ChatErrorCode.RATE_LIMITED), Map.entry(18, ChatErrorCode.RATE_LIMITED),
			Map.entry(19, ChatErrorCode.RATE_LIMITED), Map.entry(336501, ChatErrorCode.RATE_LIMITED),
			Map.entry(336502, ChatErrorCode.RATE_LIMITED), Map.entry(1, ChatErrorCode.UNAVAILABLE),
			Map.entry(2, ChatErrorCode.UNAVAILABLE), Map.entry(336000, ChatErrorCode.UNAVAILABLE),
			Map.entry(336100, ChatErrorCode.UNAVAILABLE), Map.entry(6, ChatErrorCode.UNAUTHORIZED),
			Map.entry(13, ChatErrorCode.UNAUTHORIZED), Map.entry(14, ChatErrorCode.UNAUTHORIZED),
			Map.entry(15, ChatErrorCode.UNAUTHORIZED), Map.entry(110, ChatErrorCode.UNAUTHORIZED),
			Map.entry(111, ChatErrorCode.UNAUTHORIZED), Map.entry(336004, ChatErrorCode.UNAUTHORIZED),
			Map.entry(3, ChatErrorCode.BAD_REQUEST), Map.entry(100, ChatErrorCode.BAD_REQUEST),
			Map.entry(336001, ChatErrorCode.BAD_REQUEST), Map.entry(336002, ChatErrorCode.BAD_REQUEST),
			Map.entry(336003, ChatErrorCode.BAD_REQUEST), Map.entry(336005, ChatErrorCode.BAD_REQUEST),
			Map.entry(336006, ChatErrorCode.BAD_REQUEST), Map.entry(336101, ChatErrorCode.BAD_REQUEST),
			Map.entry(336104, ChatErrorCode.BAD_REQUEST), Map.entry(336105, ChatErrorCode.BAD_REQUEST));

	private static final List<Pattern> SECRET_PATTERNS = List.of(
			Pattern.compile("(?i)(access_token|client_secret|client_id)=[^&\\s\"']*"),
			Pattern.compile("(?i)bearer\\s+\\S+"), Pattern.compile("bce-v3/\\S+"),
			Pattern.compile("\\b\\d{2}\\.[0-9a-fA-F]{16,}[\\w.\\-]*"));

	private static final List<String> SECRET_REPLACEMENTS = List.of("$1=****", "Bearer ****", "bce-v3/****", "****");

	private final String label;

	private final List<String> secrets;

	private final Clock clock;

	/**
	 * Create a mapper.
	 * @param label the API generation for messages ({@code ERNIE v1})
	 * @param secrets configured secrets, redacted from every message (blank ones ignored)
	 * @param clock the clock for {@code Retry-After} HTTP-dates
	 */
	ErnieErrorMapper(String label, Collection<String> secrets, Clock clock) {
		this.label = Objects.requireNonNull(label, "label");
		this.secrets = secrets.stream().filter((s) -> s != null && s.strip().length() >= 4).toList();
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * The category of a v1 business error code.
	 * @param errorCode the {@code error_code}
	 * @return the category; 110/111 are {@code UNAUTHORIZED} once a refresh did not help
	 */
	static ChatErrorCode v1Code(int errorCode) {
		ChatErrorCode known = V1_CODES.get(errorCode);
		if (known != null) {
			return known;
		}
		return (errorCode / 100 == 3365) ? ChatErrorCode.RATE_LIMITED : ChatErrorCode.UNAVAILABLE;
	}

	/**
	 * Whether a v1 code says the access token is invalid (110) or expired (111).
	 * @param errorCode the {@code error_code}
	 * @return {@code true} to refresh the token and resend once
	 */
	static boolean isTokenRejected(int errorCode) {
		return errorCode == 110 || errorCode == 111;
	}

	/**
	 * Map an error found in a body whatever the HTTP status: a v1 numeric code, a v2
	 * error object or an OAuth error.
	 * @param error the error
	 * @param headers the response headers (may be {@code null})
	 * @return a {@code ChatException}, or a {@code TokenRejected} for 110/111
	 */
	RuntimeException fromError(VendorError error, HttpHeaders headers) {
		if (error.number() != null) {
			String message = describe(this.label + " error " + error.number(), null, error, headers);
			if (isTokenRejected(error.number())) {
				return new TokenRejected(message);
			}
			if (error.number() == DAILY_LIMIT) {
				return new QuotaExhaustedException(message);
			}
			ChatErrorCode code = v1Code(error.number());
			return new ChatException(code, message, (code == ChatErrorCode.RATE_LIMITED) ? retryAfter(headers) : 0);
		}
		String code = Objects.requireNonNullElse(error.code(), "").toLowerCase(Locale.ROOT);
		String message = describe(this.label + " error", error.code(), error, headers);
		if (code.contains("rate_limit") || code.contains("quota_exceeded")) {
			return new ChatException(ChatErrorCode.RATE_LIMITED, message, retryAfter(headers));
		}
		if (code.contains("content_filter") || code.contains("sensitive")) {
			return new ChatException(ChatErrorCode.CONTENT_FILTERED, message);
		}
		if (code.startsWith("invalid_client") || code.endsWith("token") || code.contains("unauthorized")
				|| code.contains("permission") || code.contains("access_denied")) {
			return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
		}
		if (code.startsWith("invalid") || code.contains("not_found")) {
			return new ChatException(ChatErrorCode.BAD_REQUEST, message);
		}
		return new ChatException(ChatErrorCode.UNAVAILABLE, message);
	}

	/**
	 * Map a non-2xx response (v2, a gateway in front of v1, the token endpoint). A v1
	 * numeric code in the body wins over the status.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the body, possibly not JSON
	 * @return a {@code ChatException}, or a {@code TokenRejected} for 110/111
	 */
	RuntimeException fromStatus(int status, HttpHeaders headers, String body) {
		VendorError error = ErnieWire.readError(body);
		if (error != null && error.number() != null) {
			return fromError(error, headers);
		}
		String code = (error != null) ? error.code() : null;
		String message = describe(this.label + " HTTP " + status, code, error, headers);
		if (status == 401 || status == 403) {
			return new ChatException(ChatErrorCode.UNAUTHORIZED, message);
		}
		if (status == 429) {
			return new ChatException(ChatErrorCode.RATE_LIMITED, message, retryAfter(headers));
		}
		if (status == 408) {
			return new ChatException(ChatErrorCode.TIMEOUT, message);
		}
		if (status >= 500 || status < 400) {
			return new ChatException(ChatErrorCode.UNAVAILABLE, message, retryAfter(headers));
		}
		boolean filtered = code != null && (code.contains("content_filter") || code.contains("sensitive"));
		return new ChatException(filtered ? ChatErrorCode.CONTENT_FILTERED : ChatErrorCode.BAD_REQUEST, message);
	}

	/**
	 * Map a failed OAuth token request: quotas and server errors as usual, everything
	 * else ({@code invalid_client}, a wrong key pair, an unknown OAuth error) means the
	 * credentials need an operator: {@code UNAUTHORIZED}.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the body, possibly not JSON
	 * @return the exception
	 */
	ChatException fromTokenResponse(int status, HttpHeaders headers, String body) {
		VendorError error = ErnieWire.readError(body);
		if (status == 429 || status >= 500 || (error != null && error.number() != null)) {
			return fromThrowable(fromStatus(status, headers, body));
		}
		String prefix = this.label + " access token request rejected"
				+ ((status / 100 != 2) ? " (HTTP " + status + ")" : "");
		return new ChatException(ChatErrorCode.UNAUTHORIZED,
				describe(prefix, (error != null) ? error.code() : null, error, headers));
	}

	/**
	 * The answer may not be shown ({@code flag} 3 or 4, or filtered to nothing).
	 * @param why what the vendor said
	 * @return the exception
	 */
	ChatException contentFiltered(String why) {
		return new ChatException(ChatErrorCode.CONTENT_FILTERED, this.label + " filtered the answer (" + why + ")");
	}

	/**
	 * Map a transport failure, a timer or a failure already mapped, unwrapping
	 * {@link CompletionException} and {@link ExecutionException}.
	 * @param failure what happened
	 * @return the exception to fail the call with; never a subclass of
	 * {@code ChatException} (Dubbo would flatten it)
	 */
	ChatException fromThrowable(Throwable failure) {
		Throwable cause = TransportFailures.unwrap(failure);
		if (cause instanceof ChatException chat) {
			return chat;
		}
		if (cause instanceof TokenRejected rejected) {
			return new ChatException(ChatErrorCode.UNAUTHORIZED, rejected.getMessage() + " (also after a refresh)");
		}
		// Exception class names and transport details go to the log, not to callers.
		logger.warn("{} call failed: {}", this.label, redact(String.valueOf(cause)));
		return TransportFailures.map(this.label, cause);
	}

	/**
	 * Redact secrets from text bound for a log line or a message: the configured secrets,
	 * {@code access_token=}/{@code client_secret=}/{@code client_id=} query values,
	 * Bearer and {@code bce-v3/} keys and access-token-like strings; one line.
	 * @param text the text, may be {@code null}
	 * @return the safe text
	 */
	String redact(String text) {
		if (text == null) {
			return "";
		}
		String result = text;
		for (String secret : this.secrets) {
			result = result.replace(secret.strip(), "****");
		}
		for (int i = 0; i < SECRET_PATTERNS.size(); i++) {
			result = SECRET_PATTERNS.get(i).matcher(result).replaceAll(SECRET_REPLACEMENTS.get(i));
		}
		return result.replaceAll("\\p{Cntrl}+", " ").strip();
	}

	private long retryAfter(HttpHeaders headers) {
		return (headers != null) ? RetryAfter.toMillis(headers.firstValue("Retry-After").orElse(null), this.clock) : 0;
	}

	private String describe(String prefix, String code, VendorError error, HttpHeaders headers) {
		StringBuilder message = new StringBuilder(prefix);
		if (code != null && !code.isBlank()) {
			message.append(" (").append(safe(code)).append(')');
		}
		if (error != null && error.message() != null && !error.message().isBlank()) {
			message.append(": ").append(safe(error.message()));
		}
		String requestId = (headers != null) ? headers.firstValue("X-Baidu-Request-Id").orElse(null) : null;
		if ((requestId == null || requestId.isBlank()) && error != null) {
			requestId = error.requestId();
		}
		if (requestId != null && !requestId.isBlank()) {
			message.append(" [request ").append(safe(requestId)).append(']');
		}
		return message.toString();
	}

	private String safe(String text) {
		String result = redact(text);
		return (result.length() > MAX_VENDOR_MESSAGE) ? result.substring(0, MAX_VENDOR_MESSAGE) + "…" : result;
	}

	/**
	 * The vendor rejected the v1 access token (110/111): refresh and resend once. Never
	 * leaves this package: {@link #fromThrowable} turns it into {@code UNAUTHORIZED}.
	 */
	static final class TokenRejected extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TokenRejected(String message) {
			super(message, null, false, false);
		}

	}

}
