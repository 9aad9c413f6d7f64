package io.chatrelay.client.channel.web;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.chatrelay.api.ChatException;
import io.chatrelay.client.quota.QuotaExceededException;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Turns any failure of a web chat into a status and a {@link WebError}, without stack
 * traces. Shared by the JSON endpoint and the SSE error event.
 */
final class WebErrors {

	private static final Logger log = LoggerFactory.getLogger(WebErrors.class);

	private WebErrors() {
	}

	static ResponseEntity<WebError> toResponse(Throwable failure) {
		Throwable error = unwrap(failure);
		HttpStatus status = status(error);
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
		if (error instanceof ChatException chat && chat.retryAfterMillis() > 0) {
			builder.header(HttpHeaders.RETRY_AFTER, String.valueOf((chat.retryAfterMillis() + 999) / 1000));
		}
		if (error instanceof QuotaExceededException quota) {
			builder.header(HttpHeaders.RETRY_AFTER, String.valueOf((quota.retryAfter().toMillis() + 999) / 1000));
		}
		return builder.body(body(error));
	}

	static WebError body(Throwable failure) {
		Throwable error = unwrap(failure);
		if (error instanceof ChatException chat) {
			log.info("Chat failed: {} {}", chat.code(), chat.getMessage());
			return WebError.of(chat.code().name(), chat.getMessage());
		}
		if (error instanceof QuotaExceededException quota) {
			log.debug("Web chat refused: {}", quota.getMessage());
			return WebError.of("RATE_LIMITED", quota.getMessage());
		}
		if (error instanceof RpcException rpc) {
			if (rpc.isTimeout()) {
				log.warn("Provider call timed out: {}", rpc.getMessage());
				return WebError.of("TIMEOUT", "The chat provider did not answer in time");
			}
			log.warn("Provider call failed (code {}): {}", rpc.getCode(), rpc.getMessage());
			return WebError.of("UNAVAILABLE", "No chat provider is available right now, please retry shortly");
		}
		if (error instanceof JedisException) {
			log.warn("Conversation store failed: {}", error.toString());
			return WebError.of("UNAVAILABLE", "The conversation store is unavailable, please retry shortly");
		}
		log.error("Unexpected failure in the web channel", error);
		return WebError.of("INTERNAL", "Internal error");
	}

	static HttpStatus status(Throwable failure) {
		Throwable error = unwrap(failure);
		if (error instanceof ChatException chat) {
			return switch (chat.code()) {
				case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
				case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
				case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
				case CONTENT_FILTERED -> HttpStatus.UNPROCESSABLE_ENTITY;
				case UNAVAILABLE, UNAUTHORIZED -> HttpStatus.BAD_GATEWAY;
			};
		}
		if (error instanceof QuotaExceededException) {
			return HttpStatus.TOO_MANY_REQUESTS;
		}
		if (error instanceof RpcException rpc) {
			return rpc.isTimeout() ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.SERVICE_UNAVAILABLE;
		}
		if (error instanceof JedisException) {
			return HttpStatus.SERVICE_UNAVAILABLE;
		}
		return HttpStatus.INTERNAL_SERVER_ERROR;
	}

	static String code(Throwable failure) {
		return body(failure).error().code().toUpperCase(Locale.ROOT);
	}

	static Throwable unwrap(Throwable failure) {
		Throwable error = failure;
		while ((error instanceof CompletionException || error instanceof ExecutionException)
				&& error.getCause() != null) {
			error = error.getCause();
		}
		return error;
	}

}
