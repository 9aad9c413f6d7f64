package io.chatrelay.provider.model.zhipu;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.model.TestVectors;
import io.chatrelay.provider.model.compat.CompatError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ZhipuErrorMapperTest {

	private static final JsonNode ERRORS = TestVectors.load("llm-zhipu.json").get("errors");

	private static final String API_KEY = "0123456789abcdef0123456789abcdef.SECRETsecret1234";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private static final Pattern HTTP_STATUS = Pattern.compile("\\((\\d{3})\\)");

	/**
	 * What each entry of the vector's {@code errors.codes} maps to: the codes of the
	 * range tried, and the expected code for each.
	 */
	private static final Map<String, Map<Integer, ChatErrorCode>> EXPECTED_BY_VECTOR_KEY = Map.of(
			"1000-1004", Map.of(1000, ChatErrorCode.UNAUTHORIZED, 1001, ChatErrorCode.UNAUTHORIZED, 1002,
					ChatErrorCode.UNAUTHORIZED, 1003, ChatErrorCode.UNAUTHORIZED, 1004, ChatErrorCode.UNAUTHORIZED),
			"1110-1121",
			Map.of(1110, ChatErrorCode.UNAUTHORIZED, 1113, ChatErrorCode.UNAUTHORIZED, 1121,
					ChatErrorCode.UNAUTHORIZED),
			// 1220 (no access to the API) is an operator matter; 1234 is Zhipu's own
			// "network error", retriable; 1261 is named in this entry's text.
			"1210-1234",
			Map.of(1210, ChatErrorCode.BAD_REQUEST, 1211, ChatErrorCode.BAD_REQUEST, 1214, ChatErrorCode.BAD_REQUEST,
					1220, ChatErrorCode.UNAUTHORIZED, 1233, ChatErrorCode.BAD_REQUEST, 1234, ChatErrorCode.UNAVAILABLE,
					1261, ChatErrorCode.BAD_REQUEST),
			"1301", Map.of(1301, ChatErrorCode.CONTENT_FILTERED), "1302", Map.of(1302, ChatErrorCode.RATE_LIMITED),
			"1303", Map.of(1303, ChatErrorCode.RATE_LIMITED), "1304", Map.of(1304, ChatErrorCode.RATE_LIMITED), "1305",
			Map.of(1305, ChatErrorCode.RATE_LIMITED));

	private final AtomicInteger authRejections = new AtomicInteger();

	private final ZhipuErrorMapper mapper = new ZhipuErrorMapper(API_KEY, Clock.fixed(NOW, ZoneOffset.UTC),
			this.authRejections::incrementAndGet);

	static Stream<Arguments> vectorBusinessCodes() {
		List<Arguments> cases = new ArrayList<>();
		Iterator<Map.Entry<String, JsonNode>> entries = ERRORS.get("codes").fields();
		while (entries.hasNext()) {
			Map.Entry<String, JsonNode> entry = entries.next();
			if ("source".equals(entry.getKey())) {
				continue;
			}
			Map<Integer, ChatErrorCode> expected = EXPECTED_BY_VECTOR_KEY.get(entry.getKey());
			assertThat(expected).as("expectation for vector entry %s", entry.getKey()).isNotNull();
			Matcher status = HTTP_STATUS.matcher(entry.getValue().asText());
			int httpStatus = status.find() ? Integer.parseInt(status.group(1)) : 400;
			expected.forEach((code, mapped) -> cases
				.add(Arguments.of(httpStatus, String.valueOf(code), entry.getValue().asText(), mapped)));
		}
		assertThat(cases).as("every expectation matches a vector entry")
			.hasSize(EXPECTED_BY_VECTOR_KEY.values().stream().mapToInt(Map::size).sum());
		return cases.stream();
	}

	@ParameterizedTest(name = "HTTP {0} code {1} -> {3}")
	@MethodSource("vectorBusinessCodes")
	void mapsTheVectorsBusinessCodes(int status, String code, String description, ChatErrorCode expected) {
		ChatException error = this.mapper.fromResponse(status, headers(Map.of()), errorBody(code, description));

		assertThat(error.code()).isEqualTo(expected);
		assertThat(error.getMessage()).startsWith("Zhipu").contains("HTTP " + status).contains("(" + code + ")");
	}

	@Test
	void mapsTheVectorsBodyExampleWithRetryAfter() {
		JsonNode example = ERRORS.get("body_example");

		ChatException error = this.mapper.fromResponse(example.get("http_status").asInt(),
				headers(Map.of("Retry-After", List.of("3"))), example.get("body").toString());

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retriable()).isTrue();
		assertThat(error.retryAfterMillis()).isEqualTo(3000);
		assertThat(error.getMessage())
			.isEqualTo("Zhipu HTTP 429 (1302): " + example.at("/body/error/message").asText());
	}

	static Stream<Arguments> sdkStatuses() {
		Map<String, ChatErrorCode> expected = Map.of("400", ChatErrorCode.BAD_REQUEST, "401",
				ChatErrorCode.UNAUTHORIZED, "429", ChatErrorCode.RATE_LIMITED, "500", ChatErrorCode.UNAVAILABLE, "503",
				ChatErrorCode.UNAVAILABLE);
		List<Arguments> cases = new ArrayList<>();
		ERRORS.get("http_status_mapping_in_official_sdk").fieldNames().forEachRemaining((name) -> {
			if (name.matches("\\d{3}")) {
				cases.add(Arguments.of(Integer.parseInt(name), expected.get(name)));
			}
		});
		assertThat(cases).hasSize(expected.size());
		return cases.stream();
	}

	@ParameterizedTest(name = "HTTP {0} -> {1}")
	@MethodSource("sdkStatuses")
	void mapsTheSdksStatusesWithoutBusinessCode(int status, ChatErrorCode expected) {
		assertThat(this.mapper.fromResponse(status, headers(Map.of()), "").code()).isEqualTo(expected);
	}

	static Stream<Arguments> statusesWithoutCode() {
		return Stream.of(Arguments.of(400, ChatErrorCode.BAD_REQUEST), Arguments.of(401, ChatErrorCode.UNAUTHORIZED),
				Arguments.of(403, ChatErrorCode.UNAUTHORIZED), Arguments.of(404, ChatErrorCode.BAD_REQUEST),
				Arguments.of(408, ChatErrorCode.TIMEOUT), Arguments.of(409, ChatErrorCode.RATE_LIMITED),
				Arguments.of(413, ChatErrorCode.BAD_REQUEST), Arguments.of(429, ChatErrorCode.RATE_LIMITED),
				Arguments.of(434, ChatErrorCode.BAD_REQUEST), Arguments.of(500, ChatErrorCode.UNAVAILABLE),
				Arguments.of(502, ChatErrorCode.UNAVAILABLE), Arguments.of(503, ChatErrorCode.UNAVAILABLE),
				Arguments.of(504, ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "HTTP {0} -> {1}")
	@MethodSource("statusesWithoutCode")
	void mapsHttpStatusWhenTheBodyHasNoCode(int status, ChatErrorCode expected) {
		ChatException error = this.mapper.fromResponse(status, headers(Map.of()), "<html>Bad gateway</html>");

		assertThat(error.code()).isEqualTo(expected);
		assertThat(error.getMessage()).isEqualTo("Zhipu HTTP " + status);
	}

	@Test
	void businessCodeWinsOverHttpStatus() {
		ChatException arrears = this.mapper.fromResponse(429, headers(Map.of("Retry-After", List.of("5"))),
				errorBody("1113", "您的账户已欠费，请充值后重试。"));
		ChatException sensitive = this.mapper.fromResponse(400, headers(Map.of()), errorBody("1301", "不安全内容"));
		ChatException network = this.mapper.fromResponse(400, headers(Map.of()), errorBody("1234", "网络错误"));

		assertThat(arrears.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(arrears.retriable()).isFalse();
		assertThat(arrears.retryAfterMillis()).isZero();
		assertThat(sensitive.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(network.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
	}

	@Test
	void dailyLimitIsRateLimitedWithoutHintAndSaysDailyQuota() {
		ChatException error = this.mapper.fromResponse(429, headers(Map.of("Retry-After", List.of("30"))),
				errorBody("1304", "该API已达今日调用次数限额"));

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retryAfterMillis()).isZero();
		assertThat(error.getMessage()).contains("daily quota").contains("(1304)");
		assertThat(error).isInstanceOf(QuotaExhaustedException.class);
	}

	@Test
	void keepsRetryAfterHttpDateOnOverload() {
		ChatException error = this.mapper.fromResponse(429,
				headers(Map.of("Retry-After", List.of("Wed, 01 Jan 2025 00:00:07 GMT"))), errorBody("1305", "过载"));

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.retryAfterMillis()).isEqualTo(7000);
	}

	@Test
	void keepsRetryAfterOnServerFlowExceeded() {
		ChatException error = this.mapper.fromResponse(503, headers(Map.of("Retry-After", List.of("2"))), "");

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.retryAfterMillis()).isEqualTo(2000);
	}

	@Test
	void acceptsANumericJsonCode() {
		ChatException error = this.mapper.fromResponse(429, headers(Map.of()),
				"{\"error\":{\"code\":1302,\"message\":\"too many\"}}");

		assertThat(error.code()).isEqualTo(ChatErrorCode.RATE_LIMITED);
		assertThat(error.getMessage()).contains("(1302)");
	}

	@Test
	void unknownCodeFallsBackToHttpStatus() {
		assertThat(this.mapper.fromResponse(400, headers(Map.of()), errorBody("9999", "new")).code())
			.isEqualTo(ChatErrorCode.BAD_REQUEST);
		assertThat(this.mapper.fromResponse(500, headers(Map.of()), errorBody("internal", "x")).code())
			.isEqualTo(ChatErrorCode.UNAVAILABLE);
	}

	@Test
	void reportsRejectedCredentialsSoTheTokenIsResigned() {
		this.mapper.fromResponse(401, headers(Map.of()), errorBody("1003", "Authentication Token已过期"));
		this.mapper.fromResponse(401, headers(Map.of()), "");
		this.mapper.fromResponse(429, headers(Map.of()), errorBody("1113", "欠费"));
		this.mapper.fromResponse(429, headers(Map.of()), errorBody("1302", "并发"));

		assertThat(this.authRejections).hasValue(2);
	}

	static Stream<Arguments> streamErrorObjects() {
		return Stream.of(Arguments.of("1301", ChatErrorCode.CONTENT_FILTERED),
				Arguments.of("1302", ChatErrorCode.RATE_LIMITED), Arguments.of("1113", ChatErrorCode.UNAUTHORIZED),
				Arguments.of("1261", ChatErrorCode.BAD_REQUEST), Arguments.of("500", ChatErrorCode.UNAVAILABLE),
				Arguments.of("1234", ChatErrorCode.UNAVAILABLE), Arguments.of("9999", ChatErrorCode.UNAVAILABLE),
				Arguments.of(null, ChatErrorCode.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("streamErrorObjects")
	void mapsErrorObjectsInsideStreamEvents(String code, ChatErrorCode expected) {
		ChatException mapped = this.mapper.fromErrorObject(new CompatError(code, null, "The server had an error."),
				null);

		assertThat(mapped.code()).isEqualTo(expected);
		assertThat(mapped.getMessage()).startsWith("Zhipu stream error").contains("The server had an error.");
	}

	@Test
	void mapsSensitiveFinishReasonToContentFilteredBeforeAndAfterText() {
		ChatException before = this.mapper.fromFinishReason("sensitive", false);
		ChatException after = this.mapper.fromFinishReason("sensitive", true);

		assertThat(before.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(after.code()).isEqualTo(ChatErrorCode.CONTENT_FILTERED);
		assertThat(after.getMessage()).contains("after it had started");
	}

	@Test
	void mapsNetworkErrorFinishReasonToRetriableUnavailable() {
		ChatException error = this.mapper.fromFinishReason("network_error", true);

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(error.retriable()).isTrue();
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "stop", "length", "tool_calls" })
	void treatsOtherFinishReasonsAsNormal(String finishReason) {
		assertThat(this.mapper.fromFinishReason(finishReason, true)).isNull();
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
	void mapsTransportFailuresWithoutNamingExceptionClasses(Throwable failure, ChatErrorCode expected) {
		ChatException mapped = this.mapper.fromThrowable(failure);

		assertThat(mapped.code()).isEqualTo(expected);
		assertThat(mapped.getMessage()).doesNotContain("Exception").doesNotContain("java.");
	}

	@Test
	void passesMappedChatExceptionsThroughUnwrapped() {
		ChatException original = new ChatException(ChatErrorCode.CONTENT_FILTERED, "filtered");

		assertThat(this.mapper.fromThrowable(new CompletionException(original))).isSameAs(original);
	}

	@Test
	void neverPutsKeysOrTokensIntoMessages() {
		String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhcGlfa2V5IjoiMTIzNDU2NzgifQ.QwkBN-t1Q5A-mpFLcqgGAQG93TRmu1HurQNLoIcJKpY";
		String body = errorBody("1002", "Token " + jwt + " of key " + API_KEY + " (secret SECRETsecret1234, other "
				+ "fedcba9876543210fedcba9876543210.OTHERsecret5678, Bearer abc.def) is invalid");

		ChatException error = this.mapper.fromResponse(401, headers(Map.of()), body);

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(error.getMessage()).doesNotContain("SECRET")
			.doesNotContain("OTHERsecret")
			.doesNotContain("0123456789abcdef")
			.doesNotContain("eyJ")
			.doesNotContain("abc.def")
			.contains("is invalid");
	}

	@Test
	void keepsVendorMessagesToOneShortLine() {
		String longMessage = "line one\nline two " + "x".repeat(500);

		ChatException error = this.mapper.fromResponse(400, headers(Map.of()), errorBody("1214", longMessage));

		assertThat(error.getMessage()).contains("line one line two")
			.doesNotContain("\n")
			.doesNotContain("x".repeat(ZhipuErrorMapper.MAX_VENDOR_MESSAGE));
	}

	private static HttpHeaders headers(Map<String, List<String>> values) {
		return HttpHeaders.of(values, (name, value) -> true);
	}

	private static String errorBody(String code, String message) {
		return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\n", "\\n") + "\"}}";
	}

}
