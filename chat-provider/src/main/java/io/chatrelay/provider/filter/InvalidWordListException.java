package io.chatrelay.provider.filter;

/**
 * A word-list document or the local lists are not valid. The message names the list and
 * the problem, never a listed word.
 */
public class InvalidWordListException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param message what is wrong
	 */
	public InvalidWordListException(String message) {
		super(message);
	}

}
