package io.chatrelay.client.intake;

/**
 * Checks a callback's raw inputs once the channel is known to be enabled (so that a
 * disabled channel answers 404 whatever it is sent).
 */
public final class CallbackInput {

	private CallbackInput() {
	}

	/**
	 * Require the signature parameters.
	 * @param values the signature, timestamp, nonce (and any other signed parameter)
	 * @throws CallbackRejectedException {@code SIGNATURE} when one is missing
	 */
	public static void signed(String... values) {
		for (String value : values) {
			if (value == null || value.isEmpty()) {
				throw new CallbackRejectedException(CallbackRejectedException.Reason.SIGNATURE,
						"signature parameters missing");
			}
		}
	}

	/**
	 * Require a body.
	 * @param body the raw body, {@code null} when there was none
	 * @return the body
	 * @throws CallbackRejectedException {@code MALFORMED} when it is missing or empty
	 */
	public static byte[] body(byte[] body) {
		if (body == null || body.length == 0) {
			throw new CallbackRejectedException(CallbackRejectedException.Reason.MALFORMED, "empty body");
		}
		return body;
	}

}
