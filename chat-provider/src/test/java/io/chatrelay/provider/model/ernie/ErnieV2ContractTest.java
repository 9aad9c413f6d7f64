package io.chatrelay.provider.model.ernie;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ChatModelContractTest;
import io.chatrelay.provider.model.ernie.ErnieProperties.ApiVersion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.chatrelay.provider.model.ernie.ErnieStubs.json;

/**
 * The ERNIE adapter in v2 mode against the shared vendor contract: Bearer key, HTTP
 * status errors with {@code {"error":{…},"id":…}}, lenient chunks ending with [DONE].
 */
class ErnieV2ContractTest extends ChatModelContractTest {

	@Override
	protected ChatModel model() {
		return new ErnieChatModel(new ErnieProperties(ApiVersion.V2, this.wireMock.baseUrl() + "/v2",
				"bce-v3/ALTAK-contract/0123456789abcdef", null, null, null, null, Duration.ofSeconds(2),
				Duration.ofSeconds(1), Duration.ofMillis(2500)));
	}

	@Override
	protected void stubAnswer(String text) {
		stub(json(ErnieStubs.v2Answer(text)));
	}

	@Override
	protected void stubStream(List<String> deltas, Duration delayPerChunk) {
		ResponseDefinitionBuilder response = ErnieStubs.sse(ErnieStubs.v2Stream(deltas));
		if (!delayPerChunk.isZero()) {
			response.withChunkedDribbleDelay(deltas.size() + 2, (int) delayPerChunk.toMillis() * (deltas.size() + 2));
		}
		stub(response);
	}

	@Override
	protected Stream<ErrorCase> errorCases() {
		return Stream.of(error(401, "invalid_iam_token", ChatErrorCode.UNAUTHORIZED),
				error(403, "access_denied", ChatErrorCode.UNAUTHORIZED),
				new ErrorCase("429 with Retry-After",
						() -> stub(json(ErnieStubs.v2Error("rpm_rate_limit_exceeded", "Rate limit reached"))
							.withStatus(429)
							.withHeader("Retry-After", "1")),
						ChatErrorCode.RATE_LIMITED),
				new ErrorCase("400 vector invalid_argument",
						() -> stub(json(ErnieStubs.VECTOR.at("/v2/error/body").toString()).withStatus(400)),
						ChatErrorCode.BAD_REQUEST),
				error(500, "internal_error", ChatErrorCode.UNAVAILABLE),
				error(503, "service_unavailable", ChatErrorCode.UNAVAILABLE),
				new ErrorCase("HTTP 200 flag 3 (must not be displayed)",
						() -> stub(json(ErnieStubs.flagged(ErnieStubs.v2Answer(""), 3))),
						ChatErrorCode.CONTENT_FILTERED),
				new ErrorCase("HTTP 502 without a JSON body",
						() -> stub(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")),
						ChatErrorCode.UNAVAILABLE),
				new ErrorCase("no answer within the first-token timeout",
						() -> stub(json(ErnieStubs.v2Answer("late")).withFixedDelay(3000)), ChatErrorCode.TIMEOUT));
	}

	private ErrorCase error(int status, String code, ChatErrorCode expected) {
		return new ErrorCase(status + " " + code,
				() -> stub(json(ErnieStubs.v2Error(code, "failure " + status)).withStatus(status)), expected);
	}

	private void stub(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlEqualTo(ErnieStubs.V2_CHAT_PATH)).willReturn(response));
	}

}
