package io.chatrelay.client.channel.web;

import java.io.IOException;

/**
 * A request body longer than {@code chat.client.web.max-body-bytes}; answered with 413.
 */
class PayloadTooLargeException extends IOException {

	private static final long serialVersionUID = 1L;

	PayloadTooLargeException(int limit) {
		super("Request body is larger than " + limit + " bytes");
	}

}
