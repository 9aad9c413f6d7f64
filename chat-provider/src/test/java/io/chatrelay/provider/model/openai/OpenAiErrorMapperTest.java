package io.chatrelay.provider.model.openai;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.model.TestVectors;
import io.chatrelay.provider.model.compat.CompatError;
import io.chatrelay.provider.resilience.Failures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiErrorMapperTest {

	private static final String API_KEY = "sk-proj-SECRETsecretSECRET1234";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private final OpenAiErrorMapper mapper = new OpenAiErrorMapper(API_KEY, Clock.fixed(NOW, ZoneOffset.UTC));

	/** What each assembled vector must map to, keyed by its error code. */
	private static final Map<String, ChatErrorCode> EXPECTED_BY_VENDOR_CODE = Map.of("invalid_api_key",
			ChatErrorCode.UNAUTHORIZED, "rate_limit_exceeded", ChatErrorCode.RATE_LIMITED, "insufficient_quota",
			ChatErrorCode.RATE_LIMITED);

	static Stream<Arguments> assembledVectorErrors() {
		List<Arguments> cases = new ArrayList<>();
		for (JsonNode example : TestVectors.openAi().at("/errors/examples_assembled")) {
			Map<String, List<String>> headers = new HashMap<>();
			example.path("headers")
				.fields()
				.forEachRemaining((e) -> headers.put(e.getKey(), List.of(e.getValue().asText())));
			String vendorCode = example.at("/body/error/code").asText();
			long retryAfter = example.at("/headers/Retry-After").asLong(0) * 1000;
			cases.add(Arguments.of(example.get("http_status").asInt(), vendorCode, headers,
					example.get("body").toString(), EXPECTED_BY_VENDOR_CODE.get(vendorCode), retryAfter));
		}
		assertThat(cases).hasSize(3);
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} {1} -> {4}")
	@MethodSource("assembledVectorErrors")
	void mapsAssembledVectorErrors(int status, String vendorCode, Map<String, List<String>> headers, String body,
			ChatErrorCode expected, long retryAfterMillis) {
		ChatException error = this.mapper.fromResponse(status, headers(headers), body);

		assertThat(error.code()).isEqualTo(expected);
		assertThat(error.retryAfterMillis()).isEqualTo(retryAfterMillis);
		assertThat(error.getMessage()).contains("HTTP " + status).contains(vendorCode);
	}

	static Stream<Arguments> statuses() {
		return Stream.of(Arguments.of(400, "invalid_request_error", null, ChatErrorCode.BAD_REQUEST),
				Arguments.of(400, "invalid_request_error", "content_filter", ChatErrorCode.CONTENT_FILTERED),
				Arguments.of(400, "invalid_request_error", "content_policy_violation", ChatErrorCode.CONTENT_FILTERED),
				Arguments.of(403, "invalid_request_error", "unsupported_country_region_territory",
						ChatErrorCode.UNAUTHORIZED),
				Arguments.of(404, "invalid_request_error", "model_not_found", ChatErrorCode.BAD_REQUEST),
				Arguments.of(408, null, null, ChatErrorCode.TIMEOUT),
				Arguments.of(409, null, null, ChatErrorCode.UNAVAILABLE),
				Arguments.of(413, "invalid_request_error", null, ChatErrorCode.BAD_REQUEST),
				Arguments.of(422, "invalid_request_error", null, ChatErrorCode.BAD_REQUEST),
				Arguments.of(500, "server_error", null, ChatErrorCode.UNAVAILABLE),
				Arguments.of(502, null, null, ChatErrorCode.UNAVAILABLE),
				Arguments.of(503, "server_error", "engine_overloaded", ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0} {2} -> {3}")
	@MethodSource("statuses")
	void mapsHttpStatusAndErrorCode(int status, String type, String code, ChatErrorCode expected) {
		String body = (type != null) ? errorBody("Something went wrong.", type, code) : "<html>Bad gateway</html>";

		ChatException error = this.mapper.fromResponse(status, headers(Map.of()), body);

		assertThat(error.code()).isEqualTo(expected);
		assertThat(error.getMessage()).startsWith("OpenAI HTTP " + status).doesNotContain("<html>");
	}

	@Test
	void mapsQuotaExhaustedToAFailureOnlyAnotherVendorCanAnswer() {
		ChatException error = this.mapper.fromResponse(429, headers(Map.of("Retry-After", List.of("20"))),
				errorBody("You exceeded your current quota.", "insufficient_quota", "insufficient_quota"));

		assertThat(error).isInstanceOf(QuotaExhaustedException.class);
		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(Failures.retriableAtSameVendor(error)).isFalse();
		assertThat(Failures.worthAnotherVendor(error)).isTrue();
		assertThat(error.retryAfterMillis()).isZero();
	}

	@Test
	void keepsRetryAfterHttpDateOnRateLimit() {
		ChatException error = this.mapper.fromResponse(429,
				headers(Map.of("Retry-After", List.of("Wed, 01 Jan 2025 00:00:07 GMT"))),
				errorBody("Rate limit reached", "requests", "rate_limit_exceeded"));

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retryAfterMillis()).isEqualTo(7000);
	}

	@Test
	void prefersRetryAfterMsOverRetryAfterSeconds() {
		ChatException error = this.mapper.fromResponse(429,
				headers(Map.of("Retry-After", List.of("2"), "retry-after-ms", List.of("1500"))),
				errorBody("Rate limit reached", "requests", "rate_limit_exceeded"));

		assertThat(error.retryAfterMillis()).isEqualTo(1500);
	}

	@Test
	void rateLimitWithoutRetryAfterHasNoHint() {
		ChatException error = this.mapper.fromResponse(429, headers(Map.of()), "not json");

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retryAfterMillis()).isZero();
	}

	@Test
	void includesStatusRequestIdAndTruncatedOneLineVendorMessage() {
		String longMessage = "line one\nline two " + "x".repeat(500);

		ChatException error = this.mapper.fromResponse(400, headers(Map.of("x-request-id", List.of("req_abc123"))),
				errorBody(longMessage, "invalid_request_error", null));

		assertThat(error.getMessage()).contains("HTTP 400")
			.contains("line one line two")
			.contains("[x-request-id req_abc123]")
			.doesNotContain("\n")
			.doesNotContain("x".repeat(OpenAiErrorMapper.MAX_VENDOR_MESSAGE));
	}

	@Test
	void neverPutsTheApiKeyIntoMessages() {
		String body = errorBody(
				"Incorrect API key provided: " + API_KEY + " (also sk-otherKEY123456789, Bearer " + API_KEY + ")",
				"invalid_request_error", "invalid_api_key");

		ChatException error = this.mapper.fromResponse(401, headers(Map.of()), body);

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(error.getMessage()).doesNotContain(API_KEY)
			.doesNotContain("SECRET")
			.doesNotContain("otherKEY")
			.contains("Incorrect API key provided");
	}

	static Stream<Arguments> transportFailures() {
		return Stream.of(Arguments.of(new ConnectException("Connection refused"), ChatErrorCode.UNAVAILABLE),
				Arguments.of(new CompletionException(new ConnectException()), ChatErrorCode.UNAVAILABLE),
				Arguments.of(new IOException("connection reset"), ChatErrorCode.UNAVAILABLE),
				Arguments.of(new HttpTimeoutException("request timed out"), ChatErrorCode.TIMEOUT),
				Arguments.of(new HttpConnectTimeoutException("connect timed out"), ChatErrorCode.TIMEOUT),
				Arguments.of(new CompletionException(new TimeoutException()), ChatErrorCode.TIMEOUT),
				Arguments.of(new ExecutionException(new HttpTimeoutException("x")), ChatErrorCode.TIMEOUT),
				Arguments.of(new IllegalStateException("boom"), ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("transportFailures")
	void mapsTransportFailures(Throwable failure, ChatErrorCode expected) {
		assertThat(this.mapper.fromThrowable(failure).code()).isEqualTo(expected);
	}

	@Test
	void passesMappedChatExceptionsThroughUnwrapped() {
		ChatException original = new ChatException(ChatErrorCode.CONTENT_FILTERED, "filtered");

		assertThat(this.mapper.fromThrowable(new CompletionException(original))).isSameAs(original);
	}

	static Stream<Arguments> streamErrorObjects() {
		return Stream.of(Arguments.of("server_error", null, ChatErrorCode.UNAVAILABLE),
				Arguments.of("requests", "rate_limit_exceeded", ChatErrorCode.RATE_LIMITED),
				Arguments.of("insufficient_quota", "insufficient_quota", ChatErrorCode.RATE_LIMITED),
				Arguments.of("invalid_request_error", "content_filter", ChatErrorCode.CONTENT_FILTERED),
				Arguments.of("invalid_request_error", null, ChatErrorCode.BAD_REQUEST),
				Arguments.of(null, null, ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0}/{1} -> {2}")
	@MethodSource("streamErrorObjects")
	void mapsErrorObjectsInsideStreamEvents(String type, String code, ChatErrorCode expected) {
		CompatError error = new CompatError(code, type, "The server had an error.");

		ChatException mapped = this.mapper.fromErrorObject(error, null);

		assertThat(mapped.code()).isEqualTo(expected);
		assertThat(mapped.getMessage()).startsWith("OpenAI stream error").contains("The server had an error.");
	}

	private static HttpHeaders headers(Map<String, List<String>> values) {
		return HttpHeaders.of(values, (name, value) -> true);
	}

	private static String errorBody(String message, String type, String code) {
		return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(type) + ",\"param\":null,\"code\":"
				+ quote(code) + "}}";
	}

	private static String quote(String value) {
		return (value != null) ? "\"" + value.replace("\n", "\\n") + "\"" : "null";
	}

}
