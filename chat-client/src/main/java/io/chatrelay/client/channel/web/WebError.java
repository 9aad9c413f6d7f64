package io.chatrelay.client.channel.web;

/**
 * The body of every web API error: {@code {"error":{"code":…,"message":…}}}.
 *
 * @param error the details
 */
record WebError(Detail error) {

	static WebError of(String code, String message) {
		return new WebError(new Detail(code, message));
	}

	/**
	 * What went wrong.
	 *
	 * @param code a stable code ({@code BAD_REQUEST}, {@code RATE_LIMITED}, ...)
	 * @param message a sentence for people, never a stack trace
	 */
	record Detail(String code, String message) {
	}

}
