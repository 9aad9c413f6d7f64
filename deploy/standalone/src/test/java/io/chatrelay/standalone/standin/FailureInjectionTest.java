package io.chatrelay.standalone.standin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.chatrelay.standalone.standin.StandInHttp.json;
import static io.chatrelay.standalone.standin.StandInHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailureInjectionTest {

	private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]";

	private VendorStandIn standIn;

	private String qianfanToken;

	@BeforeEach
	void start() throws Exception {
		this.standIn = VendorStandIn.builder().slowDelay(Duration.ofMillis(300)).start();
		this.qianfanToken = json(post(this.standIn.qianfanV1BaseUrl()
				+ "/oauth/2.0/token?grant_type=client_credentials&client_id=ak&client_secret=sk", "")
			.body()).path("access_token").asText();
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	/**
	 * Vendor endpoint, injected mode, expected HTTP status, JSON pointer, expected value.
	 */
	static Stream<Arguments> vendorShapedErrors() {
		return Stream.of(Arguments.of("openai", "503", 503, "/error/type", "server_error"),
				Arguments.of("openai", "429", 429, "/error/code", "rate_limit_exceeded"),
				Arguments.of("openai", "500", 500, "/error/type", "server_error"),
				Arguments.of("zhipu", "503", 503, "/error/code", "1305"),
				Arguments.of("zhipu", "429", 429, "/error/code", "1302"),
				Arguments.of("zhipu", "500", 500, "/error/code", "500"),
				Arguments.of("qianfan-v2", "503", 503, "/error/code", "service_unavailable"),
				Arguments.of("qianfan-v2", "429", 429, "/error/code", "rpm_rate_limit_exceeded"),
				Arguments.of("qianfan-v2", "500", 500, "/error/code", "internal_error"),
				Arguments.of("qianfan-v1", "503", 200, "/error_code", "336100"),
				Arguments.of("qianfan-v1", "429", 200, "/error_code", "18"),
				Arguments.of("qianfan-v1", "500", 200, "/error_code", "336000"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("vendorShapedErrors")
	void answersInjectedErrorsInTheVendorsShape(String endpoint, String mode, int status, String pointer,
			String value) {
		this.standIn.injectFailure(vendorOf(endpoint), FailureMode.parse(mode));

		HttpResponse<String> response = call(endpoint, false);

		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(json(response.body()).at(pointer).asText()).isEqualTo(value);
		if ("429".equals(mode)) {
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		}
		assertThat(this.standIn.requestCount(vendorOf(endpoint))).isGreaterThanOrEqualTo(1);
	}

	@Test
	void failsOnlyTheChosenVendorAndHealsOnNone() {
		this.standIn.injectFailure(VendorStandIn.OPENAI, FailureMode.UNAVAILABLE);

		assertThat(call("openai", false).statusCode()).isEqualTo(503);
		assertThat(call("zhipu", false).statusCode()).isEqualTo(200);
		assertThat(json(call("qianfan-v1", false).body()).has("result")).isTrue();

		this.standIn.injectFailure(VendorStandIn.OPENAI, FailureMode.NONE);
		assertThat(call("openai", false).statusCode()).isEqualTo(200);
	}

	@Test
	void hangsWithoutBlockingOtherVendorsUntilTheStandInCloses() throws Exception {
		this.standIn.injectFailure(VendorStandIn.OPENAI, FailureMode.HANG);
		CompletableFuture<HttpResponse<String>> hanging = StandInHttp
			.postAsync(this.standIn.baseUrl() + "/chat/completions", "{" + MESSAGES + "}", "Authorization", "Bearer k");

		long started = System.nanoTime();
		assertThat(call("zhipu", true).statusCode()).isEqualTo(200);
		assertThat(call("qianfan-v2", false).statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThatThrownBy(() -> hanging.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

		this.standIn.close();
		assertThatThrownBy(() -> hanging.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
	}

	@Test
	void delaysTheFirstByteWhenSlow() {
		this.standIn.injectFailure(VendorStandIn.ZHIPU, InjectedFailure.slow(Duration.ofMillis(400)));

		long started = System.nanoTime();
		HttpResponse<String> response = call("zhipu", false);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
	}

	@Test
	void cutsStreamsAfterTwoDeltasWithoutFinishOrTerminator() throws Exception {
		for (String vendor : VendorStandIn.VENDORS) {
			this.standIn.injectFailure(vendor, FailureMode.STREAM_CUT);
		}

		StandInHttp.StreamRead openAi = stream("openai");
		assertThat(openAi.failure()).as("the connection drops").isNotNull();
		assertThat(openAi.events()).hasSize(1 + VendorHandler.TOKENS_BEFORE_CUT)
			.noneMatch((event) -> event.contains("[DONE]") || event.contains("\"stop\""));

		StandInHttp.StreamRead zhipu = stream("zhipu");
		assertThat(zhipu.failure()).isNotNull();
		assertThat(zhipu.events()).hasSize(VendorHandler.TOKENS_BEFORE_CUT)
			.noneMatch((event) -> event.contains("finish_reason") || event.contains("[DONE]"));

		StandInHttp.StreamRead ernie = stream("qianfan-v1");
		assertThat(ernie.failure()).isNotNull();
		assertThat(ernie.events()).hasSize(VendorHandler.TOKENS_BEFORE_CUT)
			.allSatisfy((event) -> assertThat(json(event).path("is_end").asBoolean()).isFalse());
	}

	@Test
	void cutsAUnaryAnswerHalfWayThroughItsBody() {
		this.standIn.injectFailure(VendorStandIn.OPENAI, FailureMode.STREAM_CUT);

		assertThatThrownBy(() -> StandInHttp
			.postAsync(this.standIn.baseUrl() + "/chat/completions", "{" + MESSAGES + "}", "Authorization", "Bearer k")
			.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
	}

	@Test
	void switchesAndListsFailuresOverHttp() throws Exception {
		String failures = this.standIn.failuresUrl();

		assertThat(post(failures + "/openai?mode=503", "").statusCode()).isEqualTo(200);
		assertThat(post(failures + "/zhipu", "mode=429").statusCode()).isEqualTo(200);
		assertThat(post(failures + "/qianfan", "{\"mode\":\"slow\",\"delayMs\":1500}").statusCode()).isEqualTo(200);

		JsonNode listing = json(StandInHttp.get(failures).body());
		assertThat(listing.path("openai").path("mode").asText()).isEqualTo("503");
		assertThat(listing.path("zhipu").path("mode").asText()).isEqualTo("429");
		assertThat(listing.path("qianfan").path("mode").asText()).isEqualTo("slow");
		assertThat(listing.path("qianfan").path("delayMs").asLong()).isEqualTo(1500);
		assertThat(this.standIn.failure(VendorStandIn.QIANFAN))
			.isEqualTo(InjectedFailure.slow(Duration.ofMillis(1500)));
		assertThat(call("openai", false).statusCode()).isEqualTo(503);

		assertThat(post(failures + "/all?mode=none", "").statusCode()).isEqualTo(200);
		assertThat(VendorStandIn.VENDORS)
			.allSatisfy((vendor) -> assertThat(this.standIn.failure(vendor)).isEqualTo(InjectedFailure.NONE));
		assertThat(json(StandInHttp.get(failures).body()).path("openai").path("requests").asLong()).isEqualTo(1);
	}

	@Test
	void usesTheDefaultSlowDelayWhenNoneIsGiven() {
		assertThat(post(this.standIn.failuresUrl() + "/openai?mode=slow", "").statusCode()).isEqualTo(200);

		assertThat(this.standIn.failure(VendorStandIn.OPENAI).delay()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void refusesUnknownVendorsAndModesOverHttp() {
		String failures = this.standIn.failuresUrl();

		assertThat(post(failures + "/gemini?mode=503", "").statusCode()).isEqualTo(404);
		HttpResponse<String> badMode = post(failures + "/openai?mode=explode", "");
		assertThat(badMode.statusCode()).isEqualTo(400);
		assertThat(json(badMode.body()).path("error").asText()).contains("stream-cut");
		assertThat(post(failures + "/openai", "").statusCode()).isEqualTo(400);
		assertThat(post(failures + "/openai?mode=expire-tokens", "").statusCode()).isEqualTo(400);
	}

	@Test
	void expiresQianfanTokensOverHttp() {
		HttpResponse<String> response = post(this.standIn.failuresUrl() + "/qianfan?mode=expire-tokens", "");

		assertThat(json(response.body()).path("expiredTokens").asInt()).isEqualTo(1);
		assertThat(json(call("qianfan-v1", false).body()).path("error_code").asInt()).isEqualTo(111);
		assertThat(this.standIn.failure(VendorStandIn.QIANFAN)).isEqualTo(InjectedFailure.NONE);
	}

	@Test
	void startsWithFailuresFromTheBuilder() throws Exception {
		try (VendorStandIn failing = VendorStandIn.builder()
			.failure(VendorStandIn.ZHIPU, FailureMode.UNAVAILABLE)
			.failure(VendorStandIn.OPENAI, FailureMode.SLOW)
			.slowDelay(Duration.ofMillis(50))
			.start()) {
			assertThat(failing.failure(VendorStandIn.ZHIPU)).isEqualTo(InjectedFailure.of(FailureMode.UNAVAILABLE));
			assertThat(failing.failure(VendorStandIn.OPENAI)).isEqualTo(InjectedFailure.slow(Duration.ofMillis(50)));
			assertThat(post(failing.zhipuBaseUrl() + "/chat/completions", "{" + MESSAGES + "}", "Authorization",
					"Bearer k")
				.statusCode()).isEqualTo(503);
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> VendorStandIn.builder().failure("gemini", FailureMode.HANG).start())
			.withMessageContaining("gemini");
	}

	@Test
	void countsRequestsPerVendor() {
		call("openai", false);
		call("openai", true);
		call("zhipu", false);

		assertThat(this.standIn.requestCount(VendorStandIn.OPENAI)).isEqualTo(2);
		assertThat(this.standIn.requestCount(VendorStandIn.ZHIPU)).isEqualTo(1);
		assertThat(this.standIn.requestCount(VendorStandIn.QIANFAN)).as("the token request").isEqualTo(1);
		assertThat(this.standIn.requestCount()).isEqualTo(4);
		assertThatIllegalArgumentException().isThrownBy(() -> this.standIn.requestCount("gemini"));
	}

	@Test
	void parsesFailureModesByWireName() {
		assertThat(List.of("none", "503", "429", "500", "hang", "slow", "stream-cut").stream().map(FailureMode::parse))
			.containsExactly(FailureMode.values());
		assertThatIllegalArgumentException().isThrownBy(() -> FailureMode.parse("404"))
			.withMessageContaining("none, 503, 429, 500, hang, slow, stream-cut");
	}

	private static String vendorOf(String endpoint) {
		return endpoint.startsWith("qianfan") ? VendorStandIn.QIANFAN : endpoint;
	}

	private String url(String endpoint) {
		return switch (endpoint) {
			case "openai" -> this.standIn.baseUrl() + "/chat/completions";
			case "zhipu" -> this.standIn.zhipuBaseUrl() + "/chat/completions";
			case "qianfan-v2" -> this.standIn.qianfanV2BaseUrl() + "/chat/completions";
			case "qianfan-v1" -> this.standIn.qianfanV1BaseUrl()
					+ "/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/ernie-speed-128k?access_token=" + this.qianfanToken;
			default -> throw new IllegalArgumentException(endpoint);
		};
	}

	private HttpResponse<String> call(String endpoint, boolean stream) {
		return post(url(endpoint), "{\"stream\":" + stream + "," + MESSAGES + "}", "Authorization", "Bearer k");
	}

	private StandInHttp.StreamRead stream(String endpoint) throws Exception {
		return StandInHttp.readStream(url(endpoint), "{\"stream\":true," + MESSAGES + "}", "Authorization", "Bearer k");
	}

}
