package io.chatrelay.client.intake;

import java.io.IOException;

/**
 * A request body longer than {@code chat.client.web.max-body-bytes} (web) or the
 * platform's {@code chat.client.channel.<platform>.max-body-bytes} (callbacks); answered
 * with 413.
 */
public class PayloadTooLargeException extends IOException {

	private static final long serialVersionUID = 1L;

	public PayloadTooLargeException(int limit) {
		super("Request body is larger than " + limit + " bytes");
	}

}
