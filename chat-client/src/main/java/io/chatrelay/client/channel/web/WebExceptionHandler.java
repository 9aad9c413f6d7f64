package io.chatrelay.client.channel.web;

import io.chatrelay.client.intake.PayloadTooLargeException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Bad input gets a 4xx JSON error naming the problem, logged below ERROR; failures behind
 * it get the status {@link WebErrors} chooses. Global, so that errors Spring raises
 * before a controller is chosen (404, 405, 415) have the same shape.
 */
@RestControllerAdvice
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
			.body(WebError.of("BAD_REQUEST", "Request body must be a JSON object {conversationId, message}"));
	}

	@ExceptionHandler(AuthenticationException.class)
	ResponseEntity<WebError> unauthenticated(AuthenticationException ex) {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.body(WebError.of("UNAUTHORIZED", "A valid credential is required"));
	}

	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<WebError> forbidden(AccessDeniedException ex) {
		return ResponseEntity.status(HttpStatus.FORBIDDEN).body(WebError.of("FORBIDDEN", ex.getMessage()));
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<WebError> mediaType(HttpMediaTypeNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.body(WebError.of("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"));
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<WebError> method(HttpRequestMethodNotSupportedException ex) {
		return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
			.body(WebError.of("METHOD_NOT_ALLOWED", "Method " + ex.getMethod() + " is not supported here"));
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<WebError> notFound(NoResourceFoundException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).body(WebError.of("NOT_FOUND", "No such endpoint"));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<WebError> failure(Exception ex) {
		return WebErrors.toResponse(ex);
	}

}
