package io.chatrelay.provider.model.compat;

/**
 * The {@code error} object of a chat-completions answer, as every OpenAI-compatible
 * vendor sends it in an error body, a 2xx body or a stream event: OpenAI
 * {@code {"message","type","param","code"}}, Zhipu {@code {"code":"1302","message"}} (a
 * numeric string; a JSON number is accepted too). It is what a vendor's
 * {@link CompatErrorMapper} maps; the envelope around it stays inside this package.
 *
 * @param code the vendor's error code, may be {@code null}
 * @param type the error type (OpenAI), may be {@code null}
 * @param message the vendor's message, may be {@code null}; never shown unredacted
 */
public record CompatError(String code, String type, String message) {

	/**
	 * Read the error of a response body leniently.
	 * @param body a response body, possibly not JSON at all
	 * @return the error object, or {@code null} when the body carries none
	 */
	public static CompatError read(String body) {
		return CompatWire.readError(body);
	}

}
