package io.chatrelay.client.intake;

import java.io.IOException;

/**
 * A request body longer than {@code chat.client.web.max-body-bytes} (web) or
 * {@code chat.client.channel.max-body-bytes} (platform callbacks); answered with 413.
 */
public class PayloadTooLargeException extends IOException {

	private static final long serialVersionUID = 1L;

	public PayloadTooLargeException(int limit) {
		super("Request body is larger than " + limit + " bytes");
	}

}
