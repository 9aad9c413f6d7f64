package io.chatrelay.client.channel.dingtalk;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.client.dispatch.ReplySender;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.OutboundTestSupport;
import io.chatrelay.client.platform.PlatformApiContractTest;
import io.chatrelay.client.platform.PlatformApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.chatrelay.client.platform.OutboundTestSupport.failure;
import static io.chatrelay.client.platform.OutboundTestSupport.httpClient;
import static io.chatrelay.client.platform.OutboundTestSupport.json;
import static io.chatrelay.client.platform.OutboundTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DingTalkApiTest extends PlatformApiContractTest {

	private DingTalkApi contractClient;

	DingTalkApiTest() {
		super(TOKEN_A, TOKEN_B, APP_SECRET);
	}

	private static final JsonNode VECTOR = OutboundTestSupport.vector("dingtalk.json");

	private static final String APP_KEY = "dingappkey0123";

	private static final String APP_SECRET = "dingtalk-app-secret-0123456789";

	private static final String ROBOT_CODE = VECTOR.at("/examples/http_callback_body_text/body/robotCode").asText();

	private static final String USER = VECTOR.at("/examples/http_callback_body_text/body/senderStaffId").asText();

	private static final String CONVERSATION = VECTOR.at("/examples/http_callback_body_text/body/conversationId")
		.asText();

	private static final String TOKEN_A = "dingtoken-a";

	private static final String TOKEN_B = "dingtoken-b";

	private static final String TOKEN_PATH = "/v1.0/oauth2/accessToken";

	private static final String USER_PATH = "/v1.0/robot/oToMessages/batchSend";

	private static final String GROUP_PATH = "/v1.0/robot/groupMessages/send";

	private static final String WEBHOOK_PATH = "/robot/sendBySession";

	private static final String SESSION = "session-secret-XXXX";

	private static final String USER_OK = """
			{"processQueryKey":"pqk","invalidStaffIdList":[],"flowControlledStaffIdList":[]}""";

	private static final String INVALID_TOKEN = """
			{"code":"InvalidAuthentication","requestid":"01A08FE7","message":"不合法的access_token"}""";

	@Test
	void repliesThroughTheSessionWebhookWithTheVectorMarkdownBody() {
		JsonNode expected = VECTOR.at("/examples/session_webhook_reply_markdown/body");
		this.wireMock.stubFor(post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\"}")));

		api()
			.replyViaSessionWebhook(webhook(), expected.at("/markdown/title").asText(),
					expected.at("/markdown/text").asText())
			.join();

		this.wireMock.verify(1,
				postRequestedFor(urlPathEqualTo(WEBHOOK_PATH)).withQueryParam("session", equalTo(SESSION))
					.withHeader("Content-Type", equalTo("application/json"))
					.withRequestBody(equalToJson(expected.toString())));
		this.wireMock.verify(0, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
	}

	@Test
	void failsRetriablyOnTheVectorThrottleErrcodeWithoutRevealingTheWebhook() {
		String throttled = VECTOR.at("/examples/custom_robot_throttled_error/body").toString();
		this.wireMock.stubFor(post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(json(throttled)));

		PlatformApiException error = failure(api().replyViaSessionWebhook(webhook(), "title", "text"));

		assertThat(error.code()).isEqualTo("130101");
		assertThat(error.retriable()).isTrue();
		assertThat(error.getMessage()).contains("sessionWebhook").doesNotContain(SESSION, "127.0.0.1");
	}

	@Test
	void failsWithoutRetryOnOtherWebhookErrcodes() {
		this.wireMock.stubFor(post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(json("""
				{"errcode":300001,"errmsg":"session expired"}""")));

		PlatformApiException error = failure(api().replyViaSessionWebhook(webhook(), "title", "text"));

		assertThat(error.code()).isEqualTo("300001");
		assertThat(error.retriable()).isFalse();
	}

	@Test
	void refusesAWebhookThatIsNotAnAbsoluteHttpUrl() {
		DingTalkApi api = api();

		assertThatIllegalArgumentException()
			.isThrownBy(() -> api.replyViaSessionWebhook(URI.create("file:///etc/passwd"), "t", "x"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> api.replyViaSessionWebhook(URI.create("/robot/sendBySession?session=x"), "t", "x"));
		assertThat(this.wireMock.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void sendsToAUserWithOneTokenInTheHeaderAndAMarkdownMsgParam() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(USER_PATH)).willReturn(json(USER_OK)));
		DingTalkApi api = api();

		api.sendToUser(USER, "Answer", "**bold** 你好").join();
		api.sendToUser(USER, "Answer", "second").join();

		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
			.withRequestBody(equalToJson("{\"appKey\":\"" + APP_KEY + "\",\"appSecret\":\"" + APP_SECRET + "\"}")));
		this.wireMock.verify(2, sendWith(USER_PATH, TOKEN_A));
		List<LoggedRequest> sends = this.wireMock.findAll(postRequestedFor(urlPathEqualTo(USER_PATH)));
		JsonNode body = parse(sends.get(0).getBodyAsString());
		assertThat(body.get("robotCode").asText()).isEqualTo(ROBOT_CODE);
		assertThat(body.get("userIds")).hasSize(1);
		assertThat(body.at("/userIds/0").asText()).isEqualTo(USER);
		assertThat(body.get("msgKey").asText()).isEqualTo("sampleMarkdown");
		assertThat(body.get("msgParam").isTextual()).isTrue();
		assertThat(parse(body.get("msgParam").asText()))
			.isEqualTo(parse("{\"title\":\"Answer\",\"text\":\"**bold** 你好\"}"));
	}

	@Test
	void sendsToAGroupByOpenConversationId() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(GROUP_PATH)).willReturn(json("{\"processQueryKey\":\"pqk\"}")));

		api().sendToGroup(CONVERSATION, "Answer", "text").join();

		List<LoggedRequest> sends = this.wireMock.findAll(sendWith(GROUP_PATH, TOKEN_A));
		assertThat(sends).hasSize(1);
		JsonNode body = parse(sends.get(0).getBodyAsString());
		assertThat(body.get("robotCode").asText()).isEqualTo(ROBOT_CODE);
		assertThat(body.get("openConversationId").asText()).isEqualTo(CONVERSATION);
		assertThat(body.get("msgKey").asText()).isEqualTo("sampleMarkdown");
		assertThat(parse(body.get("msgParam").asText())).isEqualTo(parse("{\"title\":\"Answer\",\"text\":\"text\"}"));
	}

	@ParameterizedTest(name = "HTTP {0}")
	@ValueSource(ints = { 400, 401 })
	void refetchesTheTokenAndResendsOnceOnInvalidAuthentication(int status) {
		stubTokensAThenB();
		stubSend(GROUP_PATH, TOKEN_A, json(INVALID_TOKEN).withStatus(status));
		stubSend(GROUP_PATH, TOKEN_B, json("{\"processQueryKey\":\"pqk\"}"));

		api().sendToGroup(CONVERSATION, "Answer", "text").join();

		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
		this.wireMock.verify(1, sendWith(GROUP_PATH, TOKEN_A));
		this.wireMock.verify(1, sendWith(GROUP_PATH, TOKEN_B));
	}

	@Test
	void treatsQpsLimitsAsRetriable() {
		stubToken(TOKEN_A);
		stubSend(USER_PATH, TOKEN_A, json("""
				{"code":"Forbidden.AccessDenied.QpsLimitForAppkeyAndApi","message":"qps limited"}""").withStatus(403));

		PlatformApiException error = failure(api().sendToUser(USER, "Answer", "text"));

		assertThat(error.status()).isEqualTo(403);
		assertThat(error.code()).isEqualTo("Forbidden.AccessDenied.QpsLimitForAppkeyAndApi");
		assertThat(error.retriable()).isTrue();
		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
	}

	@Test
	void failsWithoutRetryOnOtherClientErrors() {
		stubToken(TOKEN_A);
		stubSend(USER_PATH, TOKEN_A, json("""
				{"code":"invalidParameter.robotCode","message":"robot not found"}""").withStatus(400));

		PlatformApiException error = failure(api().sendToUser(USER, "Answer", "text"));

		assertThat(error.code()).isEqualTo("invalidParameter.robotCode");
		assertThat(error.retriable()).isFalse();
		assertThat(error.getMessage()).doesNotContain(TOKEN_A, APP_SECRET);
	}

	@Test
	void reportsAThrottledUserAsRetriableAndAnUnknownUserAsNot() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(USER_PATH)).willReturn(json("""
				{"processQueryKey":"pqk","invalidStaffIdList":[],"flowControlledStaffIdList":["%s"]}"""
			.formatted(USER))));
		DingTalkApi api = api();

		PlatformApiException throttled = failure(api.sendToUser(USER, "Answer", "text"));

		this.wireMock.stubFor(post(urlPathEqualTo(USER_PATH)).willReturn(json("""
				{"processQueryKey":"pqk","invalidStaffIdList":["%s"],"flowControlledStaffIdList":[]}"""
			.formatted(USER))));
		PlatformApiException unknown = failure(api.sendToUser(USER, "Answer", "text"));

		assertThat(throttled.code()).isEqualTo("flowControlled");
		assertThat(throttled.retriable()).isTrue();
		assertThat(unknown.code()).isEqualTo("invalidStaffId");
		assertThat(unknown.retriable()).isFalse();
	}

	private DingTalkApi api() {
		return new DingTalkApi(httpClient(), URI.create(this.wireMock.baseUrl()), APP_KEY, APP_SECRET, ROBOT_CODE,
				Duration.ofSeconds(5), this.clock);
	}

	private URI webhook() {
		return URI.create(this.wireMock.baseUrl() + WEBHOOK_PATH + "?session=" + SESSION);
	}

	private void stubSend(String path, String token, ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(
				post(urlPathEqualTo(path)).withHeader(DingTalkApi.TOKEN_HEADER, equalTo(token)).willReturn(response));
	}

	private static RequestPatternBuilder sendWith(String path, String token) {
		return postRequestedFor(urlPathEqualTo(path)).withHeader(DingTalkApi.TOKEN_HEADER, equalTo(token))
			.withHeader("Content-Type", equalTo("application/json"));
	}

	private static String tokenBody(String token) {
		return "{\"accessToken\":\"" + token + "\",\"expireIn\":7200}";
	}

	@Override
	protected MappingBuilder tokenMapping() {
		return post(urlPathEqualTo(TOKEN_PATH));
	}

	@Override
	protected RequestPatternBuilder tokenRequested() {
		return postRequestedFor(urlPathEqualTo(TOKEN_PATH));
	}

	@Override
	protected ResponseDefinitionBuilder tokenAnswer(String token) {
		return json(tokenBody(token));
	}

	@Override
	protected ResponseDefinitionBuilder credentialsRejected() {
		return json("""
				{"code":"invalidClientIdOrSecret","message":"无效的clientId或者clientSecret"}""").withStatus(400);
	}

	@Override
	protected MappingBuilder sendMapping(String token) {
		return post(urlPathEqualTo(USER_PATH)).withHeader(DingTalkApi.TOKEN_HEADER, equalTo(token));
	}

	@Override
	protected RequestPatternBuilder sendWith(String token) {
		return sendWith(USER_PATH, token);
	}

	@Override
	protected ResponseDefinitionBuilder sent() {
		return json(USER_OK);
	}

	@Override
	protected ResponseDefinitionBuilder tokenExpired() {
		return json(INVALID_TOKEN).withStatus(401);
	}

	@Override
	protected ResponseDefinitionBuilder throttled() {
		return json("""
				{"code":"Forbidden.AccessDenied.QpsLimitForAppkeyAndApi","message":"qps limited"}""").withStatus(403);
	}

	@Override
	protected ResponseDefinitionBuilder refused() {
		return json("""
				{"code":"invalidParameter.robotCode","message":"robot not found"}""").withStatus(400);
	}

	/**
	 * The one client of a contract test: its token cache is what the contract is about.
	 */
	private DingTalkApi contractClient() {
		if (this.contractClient == null) {
			this.contractClient = api();
		}
		return this.contractClient;
	}

	@Override
	protected CompletableFuture<Void> send(String text) {
		return contractClient().sendToUser(USER, "Answer", text);
	}

	@Override
	protected ReplySender replySender() {
		DingTalkProperties properties = new DingTalkProperties(APP_KEY, APP_SECRET, ROBOT_CODE,
				URI.create(this.wireMock.baseUrl()), Duration.ofHours(2), List.of(), 65536, Duration.ofSeconds(5),
				List.of("127.0.0.1"));
		return new DingTalkChannel(properties, api(), (timestamp, msgId) -> {
		}, new ObjectMapper(), this.clock);
	}

	@Override
	protected ChannelMessage replyAddress() {
		return new ChannelMessage(DingTalkChannel.NAME, "msg-1", CONVERSATION, USER, "question",
				Map.of(DingTalkChannel.STAFF, USER), this.clock.millis());
	}

	@Override
	protected String sentText(LoggedRequest request) {
		return parse(parse(request.getBodyAsString()).get("msgParam").asText()).get("text").asText();
	}

	@Override
	protected void assertTokenRejected(PlatformApiException error) {
		assertThat(error.status()).isEqualTo(401);
		assertThat(error.code()).isEqualTo("InvalidAuthentication");
	}

	@Override
	protected void assertCredentialsRejected(PlatformApiException error) {
		assertThat(error.code()).isEqualTo("invalidClientIdOrSecret");
	}

}
