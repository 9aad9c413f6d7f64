package io.chatrelay.client.channel.wecom;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.client.channel.wecomcrypto.WeComVectors;
import io.chatrelay.client.dispatch.ReplySender;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.PlatformApiContractTest;
import io.chatrelay.client.platform.PlatformApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import static io.chatrelay.client.platform.OutboundTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WeComApiTest extends PlatformApiContractTest {

	private WeComApi contractClient;

	WeComApiTest() {
		super(TOKEN_A, TOKEN_B, SECRET);
	}

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
	void treatsATimeoutAsRetriable() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json(SEND_OK).withFixedDelay(2000));

		PlatformApiException error = failure(api(Duration.ofMillis(300)).sendText("1000002", USER, "hello"));

		assertThat(error.status()).isZero();
		assertThat(error.retriable()).isTrue();
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

	/** The A.2 example answer with the given token. */
	private static String tokenBody(String token) {
		return "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"" + token + "\",\"expires_in\":7200}";
	}

	@Override
	protected MappingBuilder tokenMapping() {
		return get(urlPathEqualTo(TOKEN_PATH));
	}

	@Override
	protected RequestPatternBuilder tokenRequested() {
		return getRequestedFor(urlPathEqualTo(TOKEN_PATH));
	}

	@Override
	protected ResponseDefinitionBuilder tokenAnswer(String token) {
		return json(tokenBody(token));
	}

	@Override
	protected ResponseDefinitionBuilder credentialsRejected() {
		return json("""
				{"errcode":40001,"errmsg":"invalid credential"}""");
	}

	@Override
	protected MappingBuilder sendMapping(String token) {
		return post(urlPathEqualTo(SEND_PATH)).withQueryParam("access_token", equalTo(token));
	}

	@Override
	protected RequestPatternBuilder sendWith(String token) {
		return postRequestedFor(urlPathEqualTo(SEND_PATH)).withQueryParam("access_token", equalTo(token));
	}

	@Override
	protected ResponseDefinitionBuilder sent() {
		return json(SEND_OK);
	}

	@Override
	protected ResponseDefinitionBuilder tokenExpired() {
		return json("{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
	}

	@Override
	protected ResponseDefinitionBuilder tokenRejectedAgain() {
		return json("{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}");
	}

	@Override
	protected ResponseDefinitionBuilder throttled() {
		return json("{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}");
	}

	@Override
	protected ResponseDefinitionBuilder refused() {
		return json("{\"errcode\":81013,\"errmsg\":\"user & party & tag all invalid\"}");
	}

	/**
	 * The one client of a contract test: its token cache is what the contract is about.
	 */
	private WeComApi contractClient() {
		if (this.contractClient == null) {
			this.contractClient = api(Duration.ofSeconds(5));
		}
		return this.contractClient;
	}

	@Override
	protected CompletableFuture<Void> send(String text) {
		return contractClient().sendText("1000002", USER, text);
	}

	@Override
	protected ReplySender replySender() {
		JsonNode vector = WeComVectors.vector(WeComVectors.POST_XML);
		WeComProperties properties = new WeComProperties(CORP_ID, "1000002", SECRET, vector.get("token").asText(),
				vector.get("encoding_aes_key").asText(), URI.create(this.wireMock.baseUrl()), Duration.ofHours(1),
				Duration.ofHours(2), 65536);
		return new WeComChannel(properties, api(Duration.ofSeconds(5)), this.clock);
	}

	@Override
	protected ChannelMessage replyAddress() {
		return new ChannelMessage(WeComChannel.NAME, "msg-1", "conversation", USER, "question",
				Map.of(WeComChannel.TO_USER, USER), this.clock.millis());
	}

	@Override
	protected String sentText(LoggedRequest request) {
		return parse(request.getBodyAsString()).at("/text/content").asText();
	}

	@Override
	protected void assertTokenRejected(PlatformApiException error) {
		assertThat(error.code()).isEqualTo("40014");
	}

	@Override
	protected void assertCredentialsRejected(PlatformApiException error) {
		assertThat(error.code()).isEqualTo("40001");
		assertThat(error.getMessage()).contains("gettoken");
	}

}
