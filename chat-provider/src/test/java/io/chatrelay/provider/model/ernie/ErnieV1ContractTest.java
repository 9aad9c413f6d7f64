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
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.chatrelay.provider.model.ernie.ErnieStubs.json;

/**
 * The ERNIE adapter in v1 mode against the shared vendor contract: OAuth token endpoint,
 * errors as HTTP 200 bodies (served to streams as plain JSON too), streams ending at
 * {@code is_end:true} without [DONE].
 */
class ErnieV1ContractTest extends ChatModelContractTest {

	@Override
	protected ChatModel model() {
		String base = this.wireMock.baseUrl();
		return new ErnieChatModel(new ErnieProperties(ApiVersion.V1, base, null, null, base, "contract-ak",
				"contract-secret-key", Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(2500)));
	}

	@Override
	protected void stubAuthentication() {
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH))
			.willReturn(json(ErnieStubs.tokenBody(ErnieStubs.ACCESS_TOKEN))));
	}

	@Override
	protected void stubAnswer(String text) {
		stubChat(json(ErnieStubs.v1Answer(text)));
	}

	@Override
	protected void stubStream(List<String> deltas, Duration delayPerChunk) {
		ResponseDefinitionBuilder response = ErnieStubs.sse(ErnieStubs.v1Stream(deltas));
		if (!delayPerChunk.isZero()) {
			response.withChunkedDribbleDelay(deltas.size() + 1, (int) delayPerChunk.toMillis() * (deltas.size() + 1));
		}
		stubChat(response);
	}

	@Override
	protected Stream<ErrorCase> errorCases() {
		return Stream.of(v1Error(18, "Open api qps request limit reached", ChatErrorCode.RATE_LIMITED),
				v1Error(17, "Open api daily request limit reached", ChatErrorCode.RATE_LIMITED),
				v1Error(336501, "RPM limit reached", ChatErrorCode.RATE_LIMITED),
				v1Error(336100, "server high load", ChatErrorCode.UNAVAILABLE),
				v1Error(2, "Service temporarily unavailable", ChatErrorCode.UNAVAILABLE),
				v1Error(336003, "messages length must be odd", ChatErrorCode.BAD_REQUEST),
				v1Error(6, "No permission to access data", ChatErrorCode.UNAUTHORIZED),
				v1Error(110, "Access token invalid or no longer valid", ChatErrorCode.UNAUTHORIZED),
				v1Error(111, "Access token expired", ChatErrorCode.UNAUTHORIZED),
				new ErrorCase("token endpoint 401 invalid_client",
						() -> this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH))
							.willReturn(json(ErnieStubs.tokenErrorBody()).withStatus(401))),
						ChatErrorCode.UNAUTHORIZED),
				new ErrorCase("HTTP 200 flag 3 (must not be displayed)",
						() -> stubChat(json(ErnieStubs.flagged(ErnieStubs.v1Answer(""), 3))),
						ChatErrorCode.CONTENT_FILTERED),
				new ErrorCase("HTTP 502 from the gateway",
						() -> stubChat(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")),
						ChatErrorCode.UNAVAILABLE),
				new ErrorCase("no answer within the first-token timeout",
						() -> stubChat(json(ErnieStubs.v1Answer("late")).withFixedDelay(3000)), ChatErrorCode.TIMEOUT));
	}

	private ErrorCase v1Error(int code, String message, ChatErrorCode expected) {
		return new ErrorCase("HTTP 200 error_code " + code, () -> stubChat(json(ErnieStubs.v1Error(code, message))),
				expected);
	}

	private void stubChat(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH))
			.withQueryParam("access_token", equalTo(ErnieStubs.ACCESS_TOKEN))
			.willReturn(response));
	}

}
