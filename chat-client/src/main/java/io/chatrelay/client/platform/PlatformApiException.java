package io.chatrelay.client.platform;

import java.util.Objects;

/**
 * A call to a chat platform's API (WeCom, DingTalk, Feishu) that did not deliver: the
 * platform refused it, answered with an error, or did not answer at all.
 *
 * <p>
 * {@link #retriable()} says whether sending the same message again later may succeed:
 * true for transport failures, timeouts, HTTP 5xx/429 and the platform's rate-limit or
 * "busy" codes; false for everything the caller has to fix (credentials, permissions,
 * recipients, payload). A retried send after a timeout may deliver twice unless the
 * platform deduplicates it (Feishu {@code uuid}, WeCom {@code enable_duplicate_check}).
 *
 * <p>
 * The message is safe to log: it names the platform and the operation, never a URL, a
 * token or a secret.
 */
public class PlatformApiException extends RuntimeException {

	private final String platform;

	private final int status;

	private final String code;

	private final boolean retriable;

	/**
	 * Create an exception.
	 * @param platform the platform's name ({@code WeCom}, {@code DingTalk},
	 * {@code Feishu})
	 * @param status the HTTP status of the answer, or 0 when there was none
	 * @param code the platform's error code as text ({@code errcode}, {@code code}), or
	 * {@code null} when the answer carried none
	 * @param retriable whether the same send may succeed later
	 * @param message what failed, safe to log
	 */
	public PlatformApiException(String platform, int status, String code, boolean retriable, String message) {
		this(platform, status, code, retriable, message, null);
	}

	/**
	 * Create an exception caused by another failure.
	 * @param platform the platform's name
	 * @param status the HTTP status of the answer, or 0 when there was none
	 * @param code the platform's error code as text, or {@code null}
	 * @param retriable whether the same send may succeed later
	 * @param message what failed, safe to log
	 * @param cause the underlying failure (for example an {@code IOException}), may be
	 * {@code null}
	 */
	public PlatformApiException(String platform, int status, String code, boolean retriable, String message,
			Throwable cause) {
		super(message, cause);
		this.platform = Objects.requireNonNull(platform, "platform");
		this.status = status;
		this.code = code;
		this.retriable = retriable;
	}

	/**
	 * The platform that failed.
	 * @return its name
	 */
	public String platform() {
		return this.platform;
	}

	/**
	 * The HTTP status of the platform's answer.
	 * @return the status, 0 when no answer arrived (timeout, connection failure)
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The platform's error code.
	 * @return the code as text (WeCom {@code "42001"}, DingTalk
	 * {@code "InvalidAuthentication"}, Feishu {@code "99991663"}), or {@code null}
	 */
	public String code() {
		return this.code;
	}

	/**
	 * Whether sending again later may succeed.
	 * @return {@code true} for transport failures, 5xx, 429 and rate-limit codes
	 */
	public boolean retriable() {
		return this.retriable;
	}

}
