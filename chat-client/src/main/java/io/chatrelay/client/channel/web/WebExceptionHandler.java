package io.chatrelay.client.channel.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Bad input to the web API gets a 4xx JSON error naming the problem, logged below ERROR;
 * failures behind it get the status {@link WebErrors} chooses.
 */
@RestControllerAdvice(assignableTypes = WebChatController.class)
class WebExceptionHandler {

	@ExceptionHandler(InvalidWebRequestException.class)
	ResponseEntity<WebError> invalid(InvalidWebRequestException ex) {
		return ResponseEntity.badRequest().body(WebError.of("BAD_REQUEST", ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<WebError> unreadable(HttpMessageNotReadableException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PayloadTooLargeException tooLarge) {
				return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
					.body(WebError.of("PAYLOAD_TOO_LARGE", tooLarge.getMessage()));
			}
		}
		return ResponseEntity.badRequest()
			.body(WebError.of("BAD_REQUEST", "Request body must be a JSON object {conversationId, userId, message}"));
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<WebError> mediaType(HttpMediaTypeNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.body(WebError.of("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<WebError> failure(Exception ex) {
		return WebErrors.toResponse(ex);
	}

}
