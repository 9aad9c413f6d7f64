package io.chatrelay.client.channel.web;

import java.util.List;

/**
 * A web request that breaks the API's rules; answered with 400 and the list of problems.
 */
class InvalidWebRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	InvalidWebRequestException(List<String> problems) {
		super(String.join("; ", problems), null, false, false);
	}

}
