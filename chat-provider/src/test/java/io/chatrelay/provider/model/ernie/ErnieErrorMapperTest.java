package io.chatrelay.provider.model.ernie;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.model.ernie.ErnieErrorMapper.TokenRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class ErnieErrorMapperTest {

	private static final String SECRET_KEY = "sk-qianfan-SECRET-0123456789";

	private static final String API_KEY = "bce-v3/ALTAK-abcdef/0123456789abcdef";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private static final JsonNode VECTOR = ErnieStubs.VECTOR;

	/** What every v1 code of the vector must map to (110/111 after a failed refresh). */
	private static final Map<Integer, ChatErrorCode> EXPECTED_V1 = Map.ofEntries(
			Map.entry(1, ChatErrorCode.UNAVAILABLE), Map.entry(2, ChatErrorCode.UNAVAILABLE),
			Map.entry(3, ChatErrorCode.BAD_REQUEST), Map.entry(4, ChatErrorCode.RATE_LIMITED),
			Map.entry(6, ChatErrorCode.UNAUTHORIZED), Map.entry(13, ChatErrorCode.UNAUTHORIZED),
			Map.entry(14, ChatErrorCode.UNAUTHORIZED), Map.entry(15, ChatErrorCode.UNAUTHORIZED),
			Map.entry(17, ChatErrorCode.RATE_LIMITED), Map.entry(18, ChatErrorCode.RATE_LIMITED),
			Map.entry(19, ChatErrorCode.RATE_LIMITED), Map.entry(100, ChatErrorCode.BAD_REQUEST),
			Map.entry(110, ChatErrorCode.UNAUTHORIZED), Map.entry(111, ChatErrorCode.UNAUTHORIZED),
			Map.entry(336000, ChatErrorCode.UNAVAILABLE), Map.entry(336001, ChatErrorCode.BAD_REQUEST),
			Map.entry(336002, ChatErrorCode.BAD_REQUEST), Map.entry(336003, ChatErrorCode.BAD_REQUEST),
			Map.entry(336004, ChatErrorCode.UNAUTHORIZED), Map.entry(336005, ChatErrorCode.BAD_REQUEST),
			Map.entry(336100, ChatErrorCode.UNAVAILABLE), Map.entry(336101, ChatErrorCode.BAD_REQUEST),
			Map.entry(336104, ChatErrorCode.BAD_REQUEST), Map.entry(336105, ChatErrorCode.BAD_REQUEST),
			Map.entry(336501, ChatErrorCode.RATE_LIMITED), Map.entry(336502, ChatErrorCode.RATE_LIMITED));

	private final ErnieErrorMapper mapper = new ErnieErrorMapper("ERNIE v1", List.of(API_KEY, "ak-id", SECRET_KEY),
			Clock.fixed(NOW, ZoneOffset.UTC));

	static Stream<Arguments> vectorV1Codes() {
		List<Arguments> cases = new ArrayList<>();
		VECTOR.at("/v1/errors/codes")
			.fields()
			.forEachRemaining((e) -> cases.add(Arguments.of(Integer.parseInt(e.getKey()), e.getValue().asText())));
		assertThat(cases).hasSize(EXPECTED_V1.size());
		return cases.stream();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("vectorV1Codes")
	void mapsEveryVectorV1CodeSentWithHttp200(int code, String vendorMessage) {
		String body = ErnieStubs.v1Error(code, vendorMessage);

		RuntimeException failure = this.mapper.fromError(ErnieWire.readError(body), headers(Map.of()));
		ChatException error = this.mapper.fromThrowable(failure);

		assertThat(ErnieErrorMapper.v1Code(code)).isEqualTo(EXPECTED_V1.get(code));
		assertThat(error.code()).isEqualTo(EXPECTED_V1.get(code));
		assertThat(error.getMessage()).startsWith("ERNIE v1 error " + code).contains(vendorMessage);
		assertThat(failure instanceof TokenRejected).isEqualTo(code == 110 || code == 111);
		assertThat(error instanceof QuotaExhaustedException).as("daily limit is a used-up quota").isEqualTo(code == 17);
	}

	static Stream<Arguments> briefOnlyCodes() {
		return Stream.of(Arguments.of(336006, ChatErrorCode.BAD_REQUEST),
				Arguments.of(336599, ChatErrorCode.RATE_LIMITED), Arguments.of(336503, ChatErrorCode.RATE_LIMITED),
				Arguments.of(999999, ChatErrorCode.UNAVAILABLE), Arguments.of(5, ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("briefOnlyCodes")
	void mapsCodesOutsideTheVectorByFamily(int code, ChatErrorCode expected) {
		assertThat(ErnieErrorMapper.v1Code(code)).isEqualTo(expected);
	}

	@Test
	void sdkRetryCodesAreRetriableExceptAppNotExist() {
		Set<Integer> retriable = new HashSet<>();
		VECTOR.at("/v1/errors/sdk_retry_codes").forEach((code) -> retriable.add(code.asInt()));

		assertThat(retriable).contains(15);
		retriable.stream()
			.filter((code) -> code != 15)
			.forEach((code) -> assertThat(ErnieErrorMapper.v1Code(code).retriable()).as("code %d", code).isTrue());
		assertThat(ErnieErrorMapper.v1Code(15)).isEqualTo(ChatErrorCode.UNAUTHORIZED);
	}

	@Test
	void mapsTheVectorMockRuleErrorWithItsWording() {
		String body = VECTOR.at("/v1/errors/mock_rule_errors/v1").toString();

		ChatException error = (ChatException) this.mapper.fromError(ErnieWire.readError(body), null);

		assertThat(error.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
		assertThat(error.getMessage()).isEqualTo("ERNIE v1 error 336003: messages length must be odd");
	}

	@Test
	void keepsRetryAfterOnV1RateLimitsAndTheBaiduRequestId() {
		ChatException error = (ChatException) this.mapper.fromError(ErnieWire.readError(ErnieStubs.v1Error(18, "qps")),
				headers(Map.of("Retry-After", "3", "X-Baidu-Request-Id", "req-77")));

		assertThat(error.retryAfterMillis()).isEqualTo(3000);
		assertThat(error.getMessage()).isEqualTo("ERNIE v1 error 18: qps [request req-77]");
	}

	static Stream<Arguments> v2Statuses() {
		return Stream.of(Arguments.of(400, "invalid_argument", ChatErrorCode.BAD_REQUEST),
				Arguments.of(401, "invalid_iam_token", ChatErrorCode.UNAUTHORIZED),
				Arguments.of(403, "access_denied", ChatErrorCode.UNAUTHORIZED),
				Arguments.of(404, "not_found", ChatErrorCode.BAD_REQUEST),
				Arguments.of(408, "timeout", ChatErrorCode.TIMEOUT),
				Arguments.of(413, "invalid_argument", ChatErrorCode.BAD_REQUEST),
				Arguments.of(429, "rpm_rate_limit_exceeded", ChatErrorCode.RATE_LIMITED),
				Arguments.of(429, "tpm_rate_limit_exceeded", ChatErrorCode.RATE_LIMITED),
				Arguments.of(400, "content_filter", ChatErrorCode.CONTENT_FILTERED),
				Arguments.of(500, "internal_error", ChatErrorCode.UNAVAILABLE),
				Arguments.of(502, null, ChatErrorCode.UNAVAILABLE),
				Arguments.of(503, "service_unavailable", ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0} {1} -> {2}")
	@MethodSource("v2Statuses")
	void mapsV2HttpStatusAndErrorCode(int status, String code, ChatErrorCode expected) {
		String body = (code != null) ? ErnieStubs.v2Error(code, "Something went wrong.") : "<html>Bad gateway</html>";

		ChatException error = (ChatException) v2Mapper().fromStatus(status, headers(Map.of()), body);

		assertThat(error.code()).isEqualTo(expected);
		assertThat(error.getMessage()).startsWith("ERNIE v2 HTTP " + status).doesNotContain("<html>");
	}

	@Test
	void mapsTheVectorV2ErrorWithCodeMessageAndId() {
		JsonNode vector = VECTOR.at("/v2/error");

		ChatException error = (ChatException) v2Mapper().fromStatus(vector.get("http_status").asInt(),
				headers(Map.of()), vector.get("body").toString());

		assertThat(error.code()).isEqualTo(ChatErrorCode.BAD_REQUEST);
		assertThat(error.getMessage()).isEqualTo(
				"ERNIE v2 HTTP 400 (invalid_argument): the length of messages must be an odd number [request as-qdb51n76w1]");
	}

	@Test
	void keepsRetryAfterOnV2RateLimit() {
		ChatException error = (ChatException) v2Mapper().fromStatus(429,
				headers(Map.of("Retry-After", "Wed, 01 Jan 2025 00:00:07 GMT")),
				ErnieStubs.v2Error("rpm_rate_limit_exceeded", "slow down"));

		assertThat(error.retryAfterMillis()).isEqualTo(7000);
	}

	@Test
	void v1CodeInANon2xxBodyWinsOverTheStatus() {
		RuntimeException failure = this.mapper.fromStatus(500, headers(Map.of()), ErnieStubs.v1Error(111, "expired"));

		assertThat(failure).isInstanceOf(TokenRejected.class);
		assertThat(
				((ChatException) this.mapper.fromStatus(500, headers(Map.of()), ErnieStubs.v1Error(18, "qps"))).code())
			.isEqualTo(ChatErrorCode.RATE_LIMITED);
	}

	static Stream<Arguments> errorObjectsIn2xxBodies() {
		return Stream.of(Arguments.of("rate_limit_exceeded", ChatErrorCode.RATE_LIMITED),
				Arguments.of("invalid_argument", ChatErrorCode.BAD_REQUEST),
				Arguments.of("invalid_iam_token", ChatErrorCode.UNAUTHORIZED),
				Arguments.of("no_permission", ChatErrorCode.UNAUTHORIZED),
				Arguments.of("sensitive_content", ChatErrorCode.CONTENT_FILTERED),
				Arguments.of("server_error", ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("errorObjectsIn2xxBodies")
	void mapsV2ErrorObjectsFoundIn2xxBodiesAndStreamEvents(String code, ChatErrorCode expected) {
		ChatException error = (ChatException) v2Mapper().fromError(ErnieWire.readError(ErnieStubs.v2Error(code, "x")),
				null);

		assertThat(error.code()).isEqualTo(expected);
		assertThat(error.getMessage()).startsWith("ERNIE v2 error (" + code + "): x");
	}

	@ParameterizedTest(name = "HTTP {0}")
	@MethodSource("tokenStatuses")
	void mapsTokenEndpointErrors(int status, ChatErrorCode expected) {
		String body = (status >= 500) ? "<html>oops</html>" : ErnieStubs.tokenErrorBody();

		ChatException error = this.mapper.fromTokenResponse(status, headers(Map.of()), body);

		assertThat(error.code()).isEqualTo(expected);
		if (expected == ChatErrorCode.UNAUTHORIZED) {
			assertThat(error.getMessage()).startsWith("ERNIE v1 access token request rejected")
				.contains("(invalid_client): Client authentication failed");
		}
	}

	static Stream<Arguments> tokenStatuses() {
		return Stream.of(Arguments.of(200, ChatErrorCode.UNAUTHORIZED), Arguments.of(400, ChatErrorCode.UNAUTHORIZED),
				Arguments.of(401, ChatErrorCode.UNAUTHORIZED), Arguments.of(429, ChatErrorCode.RATE_LIMITED),
				Arguments.of(500, ChatErrorCode.UNAVAILABLE), Arguments.of(503, ChatErrorCode.UNAVAILABLE));
	}

	static Stream<Arguments> transportFailures() {
		return Stream.of(Arguments.of(new ConnectException("Connection refused"), ChatErrorCode.UNAVAILABLE),
				Arguments.of(new CompletionException(new ConnectException()), ChatErrorCode.UNAVAILABLE),
				Arguments.of(new IOException("connection reset"), ChatErrorCode.UNAVAILABLE),
				Arguments.of(new HttpTimeoutException("request timed out"), ChatErrorCode.TIMEOUT),
				Arguments.of(new HttpConnectTimeoutException("connect timed out"), ChatErrorCode.TIMEOUT),
				Arguments.of(new CompletionException(new TimeoutException()), ChatErrorCode.TIMEOUT),
				Arguments.of(new ExecutionException(new HttpTimeoutException("x")), ChatErrorCode.TIMEOUT),
				Arguments.of(new CancellationException(), ChatErrorCode.UNAVAILABLE),
				Arguments.of(new IllegalStateException("boom"), ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("transportFailures")
	void mapsTransportFailuresWithoutClassNames(Throwable failure, ChatErrorCode expected) {
		ChatException error = this.mapper.fromThrowable(failure);

		assertThat(error.code()).isEqualTo(expected);
		assertThat(error.getMessage()).contains("ERNIE v1").doesNotContain("Exception").doesNotContain("java.");
	}

	@Test
	void turnsARejectedTokenIntoAPlainUnauthorizedChatException() {
		ChatException error = this.mapper
			.fromThrowable(new CompletionException(new TokenRejected("ERNIE v1 error 111")));

		assertThat(error.getClass()).isEqualTo(ChatException.class);
		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(error.getMessage()).isEqualTo("ERNIE v1 error 111 (also after a refresh)");
	}

	@Test
	void passesMappedChatExceptionsThroughUnwrapped() {
		ChatException original = new ChatException(ChatErrorCode.CONTENT_FILTERED, "filtered");

		assertThat(this.mapper.fromThrowable(new CompletionException(original))).isSameAs(original);
	}

	@Test
	void neverPutsSecretsOrAccessTokensIntoMessages() {
		String leaky = "bad request to https://aip.baidubce.com/rpc/2.0/x?access_token=24.6c5e1ff107f0e8bcef8c46d3424a0e78.2592000.1485516651.282335-8574074&a=1"
				+ " oauth?client_id=ak-id&client_secret=" + SECRET_KEY + " auth Bearer " + API_KEY + " raw "
				+ SECRET_KEY + " key " + API_KEY + "\nnext line";

		ChatException error = (ChatException) this.mapper.fromError(ErnieWire.readError(ErnieStubs.v1Error(100, leaky)),
				null);

		assertThat(error.getMessage()).doesNotContain("6c5e1ff107f0e8bcef8c46d3424a0e78")
			.doesNotContain("SECRET")
			.doesNotContain("ALTAK-abcdef")
			.doesNotContain("0123456789abcdef")
			.doesNotContain("\n")
			.contains("access_token=****")
			.contains("bad request");
		assertThat(this.mapper.redact("POST https://aip.baidubce.com/chat/ernie_speed?access_token=24.abc"))
			.isEqualTo("POST https://aip.baidubce.com/chat/ernie_speed?access_token=****");
	}

	@Test
	void truncatesLongVendorMessagesToOneLine() {
		ChatException error = (ChatException) this.mapper
			.fromError(ErnieWire.readError(ErnieStubs.v1Error(336003, "line one\nline two " + "x".repeat(500))), null);

		assertThat(error.getMessage()).contains("line one line two")
			.doesNotContain("x".repeat(ErnieErrorMapper.MAX_VENDOR_MESSAGE));
	}

	private static ErnieErrorMapper v2Mapper() {
		return new ErnieErrorMapper("ERNIE v2", List.of(API_KEY), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static HttpHeaders headers(Map<String, String> values) {
		Map<String, List<String>> multi = new java.util.HashMap<>();
		values.forEach((name, value) -> multi.put(name, List.of(value)));
		return HttpHeaders.of(multi, (name, value) -> true);
	}

}
