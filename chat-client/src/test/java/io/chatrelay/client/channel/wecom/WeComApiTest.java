package io.chatrelay.client.channel.wecom;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.chatrelay.client.platform.OutboundTestSupport;
import io.chatrelay.client.platform.OutboundTestSupport.MutableClock;
import io.chatrelay.client.platform.PlatformApiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.chatrelay.client.platform.OutboundTestSupport.failure;
import static io.chatrelay.client.platform.OutboundTestSupport.httpClient;
import static io.chatrelay.client.platform.OutboundTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WeComApiTest {

	// Corp id and user from the protocol vectors (wecom-v1-post-xml).
	private static final String CORP_ID = "wx5823bf96d3bd56c7";

	private static final String SECRET = "wecom-app-secret-0123456789";

	private static final String USER = "mycreate";

	private static final String TOKEN_A = "accesstoken000001";

	private static final String TOKEN_B = "accesstoken000002";

	private static final String TOKEN_PATH = "/cgi-bin/gettoken";

	private static final String SEND_PATH = "/cgi-bin/message/send";

	private static final String SEND_OK = """
			{"errcode":0,"errmsg":"ok","invaliduser":"","invalidparty":"","invalidtag":"","unlicenseduser":"",
			 "msgid":"xx","response_code":"xyz"}""";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private WireMockServer wireMock;

	@BeforeEach
	void start() {
		this.wireMock = OutboundTestSupport.startWireMock();
	}

	@AfterEach
	void stop() {
		this.wireMock.stop();
	}

	@Test
	void sendsTextsWithOneTokenInTheQueryAndTheDocumentedBody() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(SEND_PATH)).willReturn(json(SEND_OK)));
		WeComApi api = api(Duration.ofSeconds(5));

		for (int i = 0; i < 3; i++) {
			api.sendText("1000002", USER, "你好 \"quoted\"\n第二行").join();
		}

		this.wireMock.verify(1, getRequestedFor(urlPathEqualTo(TOKEN_PATH)).withQueryParam("corpid", equalTo(CORP_ID))
			.withQueryParam("corpsecret", equalTo(SECRET)));
		this.wireMock.verify(3, sendWith(TOKEN_A).withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"touser": "mycreate", "msgtype": "text", "agentid": 1000002,
					 "text": {"content": "你好 \\"quoted\\"\\n第二行"}, "safe": 0,
					 "enable_duplicate_check": 1, "duplicate_check_interval": 300}
					""")));
	}

	@Test
	void sendsAppChatTextsToTheGroupEndpoint() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo("/cgi-bin/appchat/send")).willReturn(json("""
				{"errcode":0,"errmsg":"ok"}""")));

		api(Duration.ofSeconds(5)).sendAppChatText("CHATID", "hello group").join();

		this.wireMock.verify(postRequestedFor(urlPathEqualTo("/cgi-bin/appchat/send"))
			.withQueryParam("access_token", equalTo(TOKEN_A))
			.withRequestBody(equalToJson("""
					{"chatid": "CHATID", "msgtype": "text", "text": {"content": "hello group"}, "safe": 0}
					""")));
	}

	@Test
	void concurrentSendsShareOneTokenFetch() {
		this.wireMock.stubFor(get(urlPathEqualTo(TOKEN_PATH)).willReturn(json(tokenBody(TOKEN_A)).withFixedDelay(200)));
		this.wireMock.stubFor(post(urlPathEqualTo(SEND_PATH)).willReturn(json(SEND_OK)));
		WeComApi api = api(Duration.ofSeconds(5));

		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sends.add(api.sendText("1000002", USER, "part " + i));
		}
		CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

		this.wireMock.verify(1, getRequestedFor(urlPathEqualTo(TOKEN_PATH)));
		this.wireMock.verify(20, sendWith(TOKEN_A));
	}

	@ParameterizedTest(name = "errcode {0}")
	@ValueSource(ints = { 40014, 42001, 40001 })
	void refetchesTheTokenAndResendsOnceWhenWeComRejectsIt(int errcode) {
		stubTokensAThenB();
		stubSend(TOKEN_A, json("{\"errcode\":" + errcode + ",\"errmsg\":\"invalid access_token\"}"));
		stubSend(TOKEN_B, json(SEND_OK));

		api(Duration.ofSeconds(5)).sendText("1000002", USER, "hello").join();

		this.wireMock.verify(2, getRequestedFor(urlPathEqualTo(TOKEN_PATH)));
		this.wireMock.verify(1, sendWith(TOKEN_A));
		this.wireMock.verify(1, sendWith(TOKEN_B));
	}

	@Test
	void givesUpWhenTheNewTokenIsRejectedToo() {
		stubTokensAThenB();
		stubSend(TOKEN_A, json("{\"errcode\":42001,\"errmsg\":\"access_token expired\"}"));
		stubSend(TOKEN_B, json("{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}"));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).sendText("1000002", USER, "hello"));

		assertThat(error.code()).isEqualTo("40014");
		assertThat(error.retriable()).isFalse();
		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(SEND_PATH)));
	}

	@Test
	void failsWithTheErrcodeAndNoSecretsInTheMessage() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json("{\"errcode\":81013,\"errmsg\":\"user & party & tag all invalid\"}"));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).sendText("1000002", USER, "hello"));

		assertThat(error.platform()).isEqualTo("WeCom");
		assertThat(error.status()).isEqualTo(200);
		assertThat(error.code()).isEqualTo("81013");
		assertThat(error.retriable()).isFalse();
		assertThat(error.getMessage()).contains("message/send", "81013").doesNotContain(TOKEN_A, SECRET);
		this.wireMock.verify(1, getRequestedFor(urlPathEqualTo(TOKEN_PATH)));
	}

	@ParameterizedTest(name = "errcode {0}")
	@ValueSource(ints = { -1, 45009, 45033 })
	void treatsBusyAndRateLimitCodesAsRetriable(int errcode) {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json("{\"errcode\":" + errcode + ",\"errmsg\":\"busy\"}"));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).sendText("1000002", USER, "hello"));

		assertThat(error.code()).isEqualTo(String.valueOf(errcode));
		assertThat(error.retriable()).isTrue();
	}

	@Test
	void treatsServerErrorsAsRetriable() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, aResponse().withStatus(503).withBody("<html>busy</html>"));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).sendText("1000002", USER, "hello"));

		assertThat(error.status()).isEqualTo(503);
		assertThat(error.code()).isNull();
		assertThat(error.retriable()).isTrue();
	}

	@Test
	void treatsATimeoutAsRetriable() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json(SEND_OK).withFixedDelay(2000));

		PlatformApiException error = failure(api(Duration.ofMillis(300)).sendText("1000002", USER, "hello"));

		assertThat(error.status()).isZero();
		assertThat(error.retriable()).isTrue();
	}

	@Test
	void failsWithoutSendingWhenTheCredentialsAreRejected() {
		this.wireMock.stubFor(get(urlPathEqualTo(TOKEN_PATH)).willReturn(json("""
				{"errcode":40001,"errmsg":"invalid credential"}""")));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).sendText("1000002", USER, "hello"));

		assertThat(error.code()).isEqualTo("40001");
		assertThat(error.retriable()).isFalse();
		assertThat(error.getMessage()).contains("gettoken").doesNotContain(SECRET);
		this.wireMock.verify(0, postRequestedFor(urlPathEqualTo(SEND_PATH)));
	}

	@Test
	void failsWhenNoRecipientCanReceiveTheMessage() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json("""
				{"errcode":0,"errmsg":"ok","invaliduser":"mycreate","unlicenseduser":""}"""));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).sendText("1000002", USER, "hello"));

		assertThat(error.code()).isEqualTo("invaliduser");
		assertThat(error.retriable()).isFalse();
	}

	@Test
	void succeedsWhenSomeRecipientsReceivedTheMessage() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json("""
				{"errcode":0,"errmsg":"ok","invaliduser":"ghost","unlicenseduser":""}"""));

		api(Duration.ofSeconds(5)).sendText("1000002", USER + "|ghost", "hello").join();
	}

	@Test
	void acceptsExactlyTheTextLimitAndRefusesMoreWithoutSending() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(SEND_PATH)).willReturn(json(SEND_OK)));
		WeComApi api = api(Duration.ofSeconds(5));
		String limit = "汉".repeat(682) + "ab";

		api.sendText("1000002", USER, limit).join();

		assertThatIllegalArgumentException().isThrownBy(() -> api.sendText("1000002", USER, limit + "c"));
		assertThatIllegalArgumentException().isThrownBy(() -> api.sendAppChatText("CHATID", ""));
		assertThatIllegalArgumentException().isThrownBy(() -> api.sendText("agent-x", USER, "hello"));
		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(SEND_PATH)));
	}

	@Test
	void refetchesTheTokenShortlyBeforeItExpires() {
		stubTokensAThenB();
		this.wireMock.stubFor(post(urlPathEqualTo(SEND_PATH)).willReturn(json(SEND_OK)));
		WeComApi api = api(Duration.ofSeconds(5));

		api.sendText("1000002", USER, "one").join();
		this.clock.advance(Duration.ofSeconds(7200).minus(WeComApi.REFRESH_BEFORE));
		api.sendText("1000002", USER, "two").join();

		this.wireMock.verify(1, sendWith(TOKEN_A));
		this.wireMock.verify(1, sendWith(TOKEN_B));
		assertThat(this.wireMock.findAll(anyRequestedFor(anyUrl()))).hasSize(4);
	}

	private WeComApi api(Duration timeout) {
		return new WeComApi(httpClient(), URI.create(this.wireMock.baseUrl()), CORP_ID, SECRET, timeout, this.clock);
	}

	private void stubToken(String token) {
		this.wireMock.stubFor(get(urlPathEqualTo(TOKEN_PATH)).willReturn(json(tokenBody(token))));
	}

	private void stubTokensAThenB() {
		this.wireMock.stubFor(get(urlPathEqualTo(TOKEN_PATH)).inScenario("tokens")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json(tokenBody(TOKEN_A)))
			.willSetStateTo("second"));
		this.wireMock.stubFor(get(urlPathEqualTo(TOKEN_PATH)).inScenario("tokens")
			.whenScenarioStateIs("second")
			.willReturn(json(tokenBody(TOKEN_B))));
	}

	private void stubSend(String token, ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(
				post(urlPathEqualTo(SEND_PATH)).withQueryParam("access_token", equalTo(token)).willReturn(response));
	}

	private static RequestPatternBuilder sendWith(String token) {
		return postRequestedFor(urlPathEqualTo(SEND_PATH)).withQueryParam("access_token", equalTo(token));
	}

	/** The A.2 example answer with the given token. */
	private static String tokenBody(String token) {
		return "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"" + token + "\",\"expires_in\":7200}";
	}

}
