package io.chatrelay.standalone.standin;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a {@link VendorStandIn} vendor misbehaves on purpose, so that a person or a test
 * can watch the relay retry, fall back and degrade. Set per vendor from the builder, the
 * launcher environment ({@code STANDIN_FAIL_OPENAI=503}) or at run time with {@code POST
 * /_standin/failures/{vendor}?mode=<wire name>}.
 *
 * <p>
 * Failures apply to a vendor's chat endpoints only (the Qianfan v1 token endpoint keeps
 * answering) and are checked before the credentials, as an overloaded gateway would.
 */
public enum FailureMode {

	/** Answer normally. */
	NONE("none"),

	/**
	 * The vendor's "overloaded" error: HTTP 503 (Qianfan v1: HTTP 200, error_code
	 * 336100).
	 */
	UNAVAILABLE("503"),

	/**
	 * The vendor's rate-limit error with {@code Retry-After: 1}: HTTP 429 (Qianfan v1:
	 * HTTP 200, error_code 18).
	 */
	RATE_LIMITED("429"),

	/**
	 * The vendor's internal error: HTTP 500 (Qianfan v1: HTTP 200, error_code 336000).
	 */
	SERVER_ERROR("500"),

	/** Read the request, never answer; the connection closes when the stand-in does. */
	HANG("hang"),

	/** Answer normally, but only after the slow delay. */
	SLOW("slow"),

	/**
	 * A stream sends two deltas, then the connection drops (no finish chunk, no
	 * {@code [DONE]}, no {@code is_end}); a unary answer drops half way through its body.
	 */
	STREAM_CUT("stream-cut");

	private final String wireName;

	FailureMode(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The name used over HTTP and in environment variables.
	 * @return e.g. {@code 503} or {@code stream-cut}
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * Read a mode by its wire name (or its constant name), ignoring case.
	 * @param name e.g. {@code 503}, {@code hang}, {@code stream-cut}
	 * @return the mode
	 * @throws IllegalArgumentException listing the valid names
	 */
	public static FailureMode parse(String name) {
		String wanted = (name != null) ? name.trim() : "";
		for (FailureMode mode : values()) {
			if (mode.wireName.equalsIgnoreCase(wanted) || mode.name().equalsIgnoreCase(wanted)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("Unknown failure mode '" + wanted + "': use one of " + wireNames());
	}

	/**
	 * All wire names, for messages.
	 * @return e.g. {@code none, 503, 429, 500, hang, slow, stream-cut}
	 */
	public static String wireNames() {
		return Arrays.stream(values()).map(FailureMode::wireName).collect(Collectors.joining(", "));
	}

}
