package io.chatrelay.client.channel.web;

import java.util.concurrent.CompletionException;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.exceptions.JedisConnectionException;

import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

class WebErrorsTest {

	@ParameterizedTest
	@CsvSource({ "RATE_LIMITED, 429", "UNAVAILABLE, 502", "TIMEOUT, 504", "BAD_REQUEST, 400", "CONTENT_FILTERED, 422",
			"UNAUTHORIZED, 502" })
	void mapsEveryChatErrorCodeToAStatus(ChatErrorCode code, int status) {
		ResponseEntity<WebError> response = WebErrors
			.toResponse(new CompletionException(new ChatException(code, "why")));

		assertThat(response.getStatusCode().value()).isEqualTo(status);
		assertThat(response.getBody().error().code()).isEqualTo(code.name());
		assertThat(response.getBody().error().message()).isEqualTo("why");
	}

	@Test
	void rateLimitKeepsRetryAfterInWholeSeconds() {
		ResponseEntity<WebError> response = WebErrors
			.toResponse(new ChatException(ChatErrorCode.RATE_LIMITED, "slow down", 1500));

		assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("2");
	}

	@Test
	void noProviderIsServiceUnavailableAndTimeoutIsGatewayTimeout() {
		assertThat(WebErrors.status(new RpcException(RpcException.FORBIDDEN_EXCEPTION, "No provider")).value())
			.isEqualTo(503);
		assertThat(WebErrors.status(new RpcException(RpcException.TIMEOUT_EXCEPTION, "timeout")).value())
			.isEqualTo(504);
	}

	@Test
	void redisDownIsServiceUnavailableWithoutInternals() {
		ResponseEntity<WebError> response = WebErrors.toResponse(new JedisConnectionException("refused 10.0.0.1"));

		assertThat(response.getStatusCode().value()).isEqualTo(503);
		assertThat(response.getBody().error().message()).doesNotContain("10.0.0.1");
	}

	@Test
	void unexpectedFailuresHideTheirDetails() {
		ResponseEntity<WebError> response = WebErrors.toResponse(new IllegalStateException("secret internals"));

		assertThat(response.getStatusCode().value()).isEqualTo(500);
		assertThat(response.getBody().error().message()).isEqualTo("Internal error");
	}

}
