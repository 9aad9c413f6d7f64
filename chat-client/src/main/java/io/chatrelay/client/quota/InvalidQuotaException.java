package io.chatrelay.client.quota;

import java.util.List;

/**
 * A quota document that cannot be applied; the previous rules stay.
 */
public class InvalidQuotaException extends IllegalArgumentException {

	private final List<String> problems;

	InvalidQuotaException(List<String> problems) {
		super("Invalid quota document: " + String.join("; ", problems));
		this.problems = List.copyOf(problems);
	}

	/**
	 * Every problem found.
	 * @return one sentence each
	 */
	public List<String> problems() {
		return this.problems;
	}

}
