package io.chatrelay.client.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * How the platform callbacks fail: a status the platform understands and an empty body
 * (no detail for a caller that may be forging requests), with one log line for the
 * operator that never carries a secret or the message. Rejections are WARN; a Redis
 * outage at intake is 503 so that the platform delivers again later.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(annotations = PlatformCallback.class)
class CallbackExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(CallbackExceptionHandler.class);

	@ExceptionHandler(CallbackRejectedException.class)
	ResponseEntity<Void> rejected(CallbackRejectedException ex) {
		log.warn("Callback rejected ({}): {}", ex.reason(), ex.getMessage());
		return ResponseEntity.status(ex.reason().status()).build();
	}

	@ExceptionHandler(ChannelDisabledException.class)
	ResponseEntity<Void> disabled(ChannelDisabledException ex) {
		log.debug("{}", ex.getMessage());
		return ResponseEntity.notFound().build();
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<Void> missingParameter(MissingServletRequestParameterException ex) {
		log.warn("Callback rejected (MALFORMED): missing query parameter {}", ex.getParameterName());
		return ResponseEntity.badRequest().build();
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Void> unreadable(HttpMessageNotReadableException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PayloadTooLargeException) {
				log.warn("Callback rejected: body larger than the limit");
				return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
			}
		}
		log.warn("Callback rejected (MALFORMED): unreadable body");
		return ResponseEntity.badRequest().build();
	}

	@ExceptionHandler(InboxOverloadedException.class)
	ResponseEntity<Void> overloaded(InboxOverloadedException ex) {
		// One WARN per change of state (InboxPressure), not one per refused callback.
		log.debug("Callback refused: {}", ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(ex.retryAfter().toSeconds()))
			.build();
	}

	@ExceptionHandler(JedisException.class)
	ResponseEntity<Void> redisDown(JedisException ex) {
		log.warn("Callback not accepted, Redis is unavailable (the platform will deliver again): {}", ex.toString());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Void> failed(Exception ex) {
		log.error("Callback failed", ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).build();
	}

}
