package io.chatrelay.client.channel.feishu;

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
import org.junit.jupiter.params.provider.CsvSource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
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

class FeishuApiTest extends PlatformApiContractTest {

	private FeishuApi contractClient;

	FeishuApiTest() {
		super(TOKEN_A, TOKEN_B, APP_SECRET);
	}

	private static final JsonNode EVENT = OutboundTestSupport.vector("feishu.json")
		.at("/examples/im.message.receive_v1/body");

	private static final String APP_ID = EVENT.at("/header/app_id").asText();

	private static final String APP_SECRET = "feishu-app-secret-0123456789";

	private static final String MESSAGE_ID = EVENT.at("/event/message/message_id").asText();

	// The C.5 example token and a second one.
	private static final String TOKEN_A = "t-caecc734c2e3328a62489fe0648c4b98779515d3";

	private static final String TOKEN_B = "t-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

	private static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";

	private static final String REPLY_PATH = "/open-apis/im/v1/messages/" + MESSAGE_ID + "/reply";

	private static final String REPLY_OK = """
			{"code":0,"msg":"success","data":{"message_id":"om_reply","chat_id":"oc_x","msg_type":"text"}}""";

	@Test
	void repliesWithOneBearerTokenAndTextContentAsAJsonString() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(REPLY_PATH)).willReturn(json(REPLY_OK)));
		FeishuApi api = api(Duration.ofSeconds(5));
		String text = "他说 \"hi\"\n第二行 \\ 😀";

		api.replyText(MESSAGE_ID, text, "5e3702a84e847582be8db7fb73283c02-0").join();
		api.replyText(MESSAGE_ID, "second", "5e3702a84e847582be8db7fb73283c02-1").join();

		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
			.withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8"))
			.withRequestBody(equalToJson("{\"app_id\":\"" + APP_ID + "\",\"app_secret\":\"" + APP_SECRET + "\"}")));
		this.wireMock.verify(2,
				sendWith(TOKEN_A).withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8")));
		List<LoggedRequest> replies = this.wireMock.findAll(sendWith(TOKEN_A));
		JsonNode body = parse(replies.get(0).getBodyAsString());
		assertThat(body.get("msg_type").asText()).isEqualTo("text");
		assertThat(body.get("uuid").asText()).isEqualTo("5e3702a84e847582be8db7fb73283c02-0");
		assertThat(body.get("content").isTextual()).isTrue();
		assertThat(parse(body.get("content").asText()).get("text").asText()).isEqualTo(text);
	}

	@Test
	void omitsTheUuidWithoutAnIdempotencyKey() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(REPLY_PATH)).willReturn(json(REPLY_OK)));

		api(Duration.ofSeconds(5)).replyText(MESSAGE_ID, "hello", null).join();

		this.wireMock.verify(sendWith(TOKEN_A).withRequestBody(equalToJson("""
				{"content": "{\\"text\\":\\"hello\\"}", "msg_type": "text"}""")));
	}

	@ParameterizedTest(name = "code {0} with HTTP {1}")
	@CsvSource({ "99991663, 400", "99991671, 200" })
	void refetchesTheTokenAndResendsOnceWhenFeishuRejectsIt(String code, int status) {
		stubTokensAThenB();
		stubSend(TOKEN_A,
				json("{\"code\":" + code + ",\"msg\":\"Invalid access token for authorization\"}").withStatus(status));
		stubSend(TOKEN_B, json(REPLY_OK));

		api(Duration.ofSeconds(5)).replyText(MESSAGE_ID, "hello", "key-1").join();

		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
		this.wireMock.verify(1, sendWith(TOKEN_A).withRequestBody(equalToJson("{\"uuid\":\"key-1\"}", true, true)));
		this.wireMock.verify(1, sendWith(TOKEN_B).withRequestBody(equalToJson("{\"uuid\":\"key-1\"}", true, true)));
	}

	@Test
	void doesNotRefetchForTheUserAccessTokenCode() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json("{\"code\":99991668,\"msg\":\"user access token invalid\"}").withStatus(400));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).replyText(MESSAGE_ID, "hello", null));

		assertThat(error.code()).isEqualTo("99991668");
		assertThat(error.retriable()).isFalse();
		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(REPLY_PATH)));
	}

	@Test
	void failsWithTheCodeAndNoSecretsInTheMessage() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A, json("{\"code\":230002,\"msg\":\"Bot/User can NOT be out of the chat.\"}").withStatus(400));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).replyText(MESSAGE_ID, "hello", null));

		assertThat(error.platform()).isEqualTo("Feishu");
		assertThat(error.status()).isEqualTo(400);
		assertThat(error.code()).isEqualTo("230002");
		assertThat(error.retriable()).isFalse();
		assertThat(error.getMessage()).contains("230002").doesNotContain(TOKEN_A, APP_SECRET);
	}

	@Test
	void treatsTheFrequencyLimitAsRetriable() {
		stubToken(TOKEN_A);
		stubSend(TOKEN_A,
				json("{\"code\":230020,\"msg\":\"This operation triggers the frequency limit.\"}").withStatus(400));

		PlatformApiException error = failure(api(Duration.ofSeconds(5)).replyText(MESSAGE_ID, "hello", null));

		assertThat(error.code()).isEqualTo("230020");
		assertThat(error.retriable()).isTrue();
	}

	@Test
	void refreshesTheTokenTwentyFiveMinutesBeforeItExpires() {
		stubTokensAThenB();
		this.wireMock.stubFor(post(urlPathEqualTo(REPLY_PATH)).willReturn(json(REPLY_OK)));
		FeishuApi api = api(Duration.ofSeconds(5));

		api.replyText(MESSAGE_ID, "one", null).join();
		this.clock.advance(Duration.ofSeconds(7200 - 25 * 60 - 1));
		api.replyText(MESSAGE_ID, "two", null).join();
		this.clock.advance(Duration.ofSeconds(1));
		api.replyText(MESSAGE_ID, "three", null).join();

		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
		this.wireMock.verify(2, sendWith(TOKEN_A));
		this.wireMock.verify(1, sendWith(TOKEN_B));
	}

	@Test
	void refusesBadArgumentsWithoutCallingFeishu() {
		FeishuApi api = api(Duration.ofSeconds(5));

		assertThatIllegalArgumentException().isThrownBy(() -> api.replyText("om_1/../../x", "hello", null));
		assertThatIllegalArgumentException().isThrownBy(() -> api.replyText(MESSAGE_ID, "", null));
		assertThatIllegalArgumentException().isThrownBy(() -> api.replyText(MESSAGE_ID, "hello", "k".repeat(51)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> api.replyText(MESSAGE_ID, "\"".repeat(FeishuApi.BODY_LIMIT_BYTES / 4), null));
		assertThat(this.wireMock.getAllServeEvents()).isEmpty();
	}

	@Test
	void acceptsAFiftyCharacterKeyAndATextAtTheLimitMadeOfQuotes() {
		stubToken(TOKEN_A);
		this.wireMock.stubFor(post(urlPathEqualTo(REPLY_PATH)).willReturn(json(REPLY_OK)));

		api(Duration.ofSeconds(5)).replyText(MESSAGE_ID, "\"".repeat(FeishuApi.TEXT_LIMIT_BYTES), "k".repeat(50))
			.join();

		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(REPLY_PATH)));
	}

	private FeishuApi api(Duration timeout) {
		return new FeishuApi(httpClient(), URI.create(this.wireMock.baseUrl()), APP_ID, APP_SECRET, timeout,
				this.clock);
	}

	/** The C.5 example answer with the given token. */
	private static String tokenBody(String token) {
		return "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"" + token + "\",\"expire\":7200}";
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
				{"code":10014,"msg":"app secret invalid"}""");
	}

	@Override
	protected MappingBuilder sendMapping(String token) {
		return post(urlPathEqualTo(REPLY_PATH)).withHeader("Authorization", equalTo("Bearer " + token));
	}

	@Override
	protected RequestPatternBuilder sendWith(String token) {
		return postRequestedFor(urlPathEqualTo(REPLY_PATH)).withHeader("Authorization", equalTo("Bearer " + token));
	}

	@Override
	protected ResponseDefinitionBuilder sent() {
		return json(REPLY_OK);
	}

	@Override
	protected ResponseDefinitionBuilder tokenExpired() {
		return json("{\"code\":99991663,\"msg\":\"Invalid access token for authorization.\"}").withStatus(400);
	}

	@Override
	protected ResponseDefinitionBuilder throttled() {
		return json("{\"code\":230020,\"msg\":\"This operation triggers the frequency limit.\"}").withStatus(400);
	}

	@Override
	protected ResponseDefinitionBuilder refused() {
		return json("{\"code\":230002,\"msg\":\"Bot/User can NOT be out of the chat.\"}").withStatus(400);
	}

	/**
	 * The one client of a contract test: its token cache is what the contract is about.
	 */
	private FeishuApi contractClient() {
		if (this.contractClient == null) {
			this.contractClient = api(Duration.ofSeconds(5));
		}
		return this.contractClient;
	}

	@Override
	protected CompletableFuture<Void> send(String text) {
		return contractClient().replyText(MESSAGE_ID, text, null);
	}

	@Override
	protected ReplySender replySender() {
		FeishuProperties properties = new FeishuProperties(APP_ID, APP_SECRET, "verification-token", "encrypt-key",
				URI.create(this.wireMock.baseUrl()), Duration.ofHours(8), Duration.ofHours(9), 262144);
		return new FeishuChannel(properties, api(Duration.ofSeconds(5)), new ObjectMapper(), this.clock);
	}

	@Override
	protected ChannelMessage replyAddress() {
		return new ChannelMessage(FeishuChannel.NAME, "5e3702a84e847582be8db7fb73283c02", "conversation", "user",
				"question", Map.of(FeishuChannel.MESSAGE, MESSAGE_ID), this.clock.millis());
	}

	@Override
	protected String sentText(LoggedRequest request) {
		return parse(parse(request.getBodyAsString()).get("content").asText()).get("text").asText();
	}

	@Override
	protected void assertCredentialsRejected(PlatformApiException error) {
		assertThat(error.code()).isEqualTo("10014");
	}

}
