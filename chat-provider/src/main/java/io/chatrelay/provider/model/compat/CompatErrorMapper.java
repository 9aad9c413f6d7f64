package io.chatrelay.provider.model.compat;

import java.net.http.HttpHeaders;

import io.chatrelay.api.ChatException;

/**
 * The one place where an OpenAI-compatible vendor's failures become
 * {@link ChatException}s; each vendor brings its own (its codes, its redaction), driven
 * by its vectors. Every method returns an exception of the taxonomy and never throws.
 */
public interface CompatErrorMapper {

	/**
	 * Map a non-2xx response.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the response body, possibly not JSON ({@link CompatError#read} reads
	 * it)
	 * @return the exception to fail the call with
	 */
	ChatException fromResponse(int status, HttpHeaders headers, String body);

	/**
	 * Map an {@code {"error":…}} object found in a 2xx body or a stream event, where
	 * there is no meaningful HTTP status.
	 * @param error the error object
	 * @param headers the response headers (may be {@code null})
	 * @return the exception to fail the call with
	 */
	ChatException fromErrorObject(CompatError error, HttpHeaders headers);

	/**
	 * Map a transport failure, a timer or a failure already mapped (a
	 * {@link ChatException}, possibly wrapped, is returned as it is).
	 * @param failure what happened
	 * @return the exception to fail the call with
	 */
	ChatException fromThrowable(Throwable failure);

	/**
	 * Map a vendor-specific abnormal {@code finish_reason}, checked as soon as it is seen
	 * (before that chunk's text is delivered). The standard {@code content_filter}
	 * without any text is handled by the adapter.
	 * @param finishReason the lower-case finish reason
	 * @param afterText whether part of the answer was already delivered
	 * @return the exception, or {@code null} for a normal finish reason (the default)
	 */
	default ChatException fromFinishReason(String finishReason, boolean afterText) {
		return null;
	}

}
