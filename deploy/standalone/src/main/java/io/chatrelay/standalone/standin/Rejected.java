package io.chatrelay.standalone.standin;

/**
 * A refusal: thrown by {@link VendorHandler#authorize}, and handed to
 * {@link VendorHandler#errorBody} for every error the stand-in answers.
 */
final class Rejected extends Exception {

	private static final long serialVersionUID = 1L;

	private final Rejection rejection;

	private final String code;

	/**
	 * A refusal with the vendor's usual code and text.
	 * @param rejection what went wrong
	 * @param message a detail, or {@code null} for the vendor's usual text
	 */
	Rejected(Rejection rejection, String message) {
		this(rejection, null, message);
	}

	/**
	 * A refusal with a vendor-specific code.
	 * @param rejection what went wrong
	 * @param code the vendor's error code, or {@code null} for its usual one
	 * @param message a detail, or {@code null} for the vendor's usual text
	 */
	Rejected(Rejection rejection, String code, String message) {
		super(message, null, false, false);
		this.rejection = rejection;
		this.code = code;
	}

	Rejection rejection() {
		return this.rejection;
	}

	/** The vendor's error code chosen by the thrower, or {@code null}. */
	String code() {
		return this.code;
	}

	/** The detail, or the given default when there is none. */
	String messageOr(String defaultMessage) {
		return (getMessage() != null) ? getMessage() : defaultMessage;
	}

}
