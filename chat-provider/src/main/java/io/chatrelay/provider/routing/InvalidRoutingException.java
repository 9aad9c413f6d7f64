package io.chatrelay.provider.routing;

/**
 * A routing document that cannot be applied; the previous routing stays.
 */
public class InvalidRoutingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param message what is wrong, in one sentence
	 */
	public InvalidRoutingException(String message) {
		super(message);
	}

}
