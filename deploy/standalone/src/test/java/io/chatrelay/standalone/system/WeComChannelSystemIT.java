package io.chatrelay.standalone.system;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.standalone.launcher.NodeProcess;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WeCom self-built app channel end to end: webhooks built the way WeCom builds them
 * (encrypted and signed by WxJava's {@link WxCryptUtil}, an independent implementation)
 * go into a client node, through a provider to a WireMock "OpenAI", and the answer is
 * observed at a WireMock standing in for WeCom's API.
 */
class WeComChannelSystemIT {

	private static final String CORP_ID = "ww4c1d2e3f4a5b6c7d";

	private static final String AGENT_ID = "1000002";

	private static final String TOKEN = "QDG6eK";

	private static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

	private static final String ANSWER = "relayed by wecom";

	/** About 4,700 bytes of numbered CJK sentences: three WeCom text messages. */
	private static final String LONG_ANSWER = java.util.stream.IntStream.range(0, 400)
		.mapToObj((i) -> "第" + i + "句。")
		.collect(java.util.stream.Collectors.joining());

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final WxCryptUtil WECOM = new WxCryptUtil(TOKEN, AES_KEY, CORP_ID);

	private static WireMockServer openAi;

	private static WireMockServer wecomApi;

	private static SystemCluster cluster;

	private static NodeProcess secondClient;

	private static JedisPooled redis;

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		openAi.start();
		OpenAiStubs.install(openAi, ANSWER);
		openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing("long-answer"))
			.willReturn(OpenAiStubs.streamed(LONG_ANSWER)));
		wecomApi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		wecomApi.start();
		wecomApi.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).willReturn(
				okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"wecom-token-1\",\"expires_in\":7200}")));
		wecomApi.stubFor(post(urlPathEqualTo("/cgi-bin/message/send")).willReturn(okJson(
				"{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":\"\",\"invalidparty\":\"\",\"invalidtag\":\"\","
						+ "\"unlicenseduser\":\"\",\"msgid\":\"msg-1\",\"response_code\":\"\"}")));
		wecomApi.stubFor(
				post(urlPathEqualTo("/cgi-bin/appchat/send")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
		Map<String, String> channel = Map.of("chat.client.channel.wecom.corp-id", CORP_ID,
				"chat.client.channel.wecom.agent-id", AGENT_ID, "chat.client.channel.wecom.secret",
				"wecom-app-secret-not-real", "chat.client.channel.wecom.token", TOKEN,
				"chat.client.channel.wecom.encoding-aes-key", AES_KEY, "chat.client.channel.wecom.api-base-url",
				wecomApi.baseUrl());
		cluster = SystemCluster.start("wecom-channel");
		cluster.startNodes(1, openAi.baseUrl() + "/v1", Map.of(), channel);
		secondClient = cluster.startClient(channel);
		cluster.awaitServing(Duration.ofSeconds(60));
		redis = new JedisPooled(URI.create(cluster.redis().url()));
	}

	@AfterAll
	static void stopSystem() {
		if (redis != null) {
			redis.close();
		}
		if (cluster != null) {
			cluster.close();
		}
		for (WireMockServer server : new WireMockServer[] { openAi, wecomApi }) {
			if (server != null) {
				server.stop();
			}
		}
	}

	@Test
	void answersUrlVerificationWithThePlaintextOnly() throws Exception {
		String echo = "1616140317555161061";
		String echostr = WECOM.encrypt("abcdefghijklmnop", echo);
		String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
		String signature = SHA1.gen(TOKEN, timestamp, "263014780", echostr);

		HttpResponse<String> response = HTTP.send(HttpRequest
			.newBuilder(URI.create(cluster.clientUrl() + "/callback/wecom?msg_signature=" + signature + "&timestamp="
					+ timestamp + "&nonce=263014780&echostr=" + URLEncoder.encode(echostr, StandardCharsets.UTF_8)))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(echo);
	}

	@Test
	void aTextMessageIsAckedAtOnceAndAnsweredThroughMessageSend() throws Exception {
		String user = "zhangsan-" + shortId();
		Webhook webhook = textMessage(user, "hello from wecom " + shortId(), null);

		long started = System.nanoTime();
		HttpResponse<String> ack = deliver(cluster.clientUrl(), webhook);
		long ackMillis = (System.nanoTime() - started) / 1_000_000;

		assertThat(ack.statusCode()).isEqualTo(200);
		assertThat(ack.body()).isEmpty();
		assertThat(ackMillis).as("acked well inside WeCom's 5 s").isLessThan(1000);
		List<JsonNode> sent = awaitSends("/cgi-bin/message/send", user, 1);
		assertThat(sent.get(0).path("msgtype").asText()).isEqualTo("text");
		assertThat(sent.get(0).path("agentid").asInt()).isEqualTo(Integer.parseInt(AGENT_ID));
		assertThat(sent.get(0).path("text").path("content").asText()).isEqualTo(ANSWER);
		assertThat(wecomApi.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/send"))).get(0).getUrl())
			.contains("access_token=wecom-token-1");
	}

	@Test
	void aLongAnswerArrivesInOrderedPartsWithinTheByteLimit() throws Exception {
		String user = "lisi-" + shortId();

		assertThat(
				deliver(cluster.clientUrl(), textMessage(user, "long-answer please " + shortId(), null)).statusCode())
			.isEqualTo(200);

		List<JsonNode> sent = awaitSends("/cgi-bin/message/send", user, 3);
		List<String> parts = sent.stream().map((body) -> body.path("text").path("content").asText()).toList();
		assertThat(parts)
			.allSatisfy((part) -> assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048));
		assertThat(String.join("", parts)).isEqualTo(LONG_ANSWER);
	}

	@Test
	void theSameWebhookDeliveredThreeTimesAndToTwoNodesAtOnceGetsOneReply() throws Exception {
		String user = "wangwu-" + shortId();
		Webhook webhook = textMessage(user, "retried by wecom " + shortId(), null);

		List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
		for (String node : List.of(cluster.clientUrl(), secondClientUrl(), cluster.clientUrl(), secondClientUrl())) {
			deliveries.add(CompletableFuture.supplyAsync(() -> deliverUnchecked(node, webhook)));
		}
		deliveries.forEach((delivery) -> assertThat(delivery.join().statusCode()).isEqualTo(200));
		assertThat(deliver(cluster.clientUrl(), webhook).statusCode()).isEqualTo(200);

		awaitSends("/cgi-bin/message/send", user, 1);
		Thread.sleep(1500);
		assertThat(sendsTo("/cgi-bin/message/send", user)).hasSize(1);
	}

	@Test
	void aReplyWeComRefusesWithA5xxIsSentAgainAndArrivesOnce() throws Exception {
		String user = "flaky-" + shortId();
		wecomApi.stubFor(post(urlPathEqualTo("/cgi-bin/message/send")).atPriority(1)
			.withRequestBody(containing(user))
			.inScenario(user)
			.whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
			.willReturn(com.github.tomakehurst.wiremock.client.WireMock.serverError())
			.willSetStateTo("recovered"));

		deliver(cluster.clientUrl(), textMessage(user, "through a hiccup " + shortId(), null));

		List<JsonNode> sent = awaitSends("/cgi-bin/message/send", user, 2);
		assertThat(sent).allSatisfy((body) -> assertThat(body.path("text").path("content").asText()).isEqualTo(ANSWER));
		Thread.sleep(1500);
		assertThat(sendsTo("/cgi-bin/message/send", user)).as("one refused, one delivered, no more").hasSize(2);
	}

	@Test
	void anAppGroupChatIsAnsweredInTheChat() throws Exception {
		String chat = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA-" + shortId();

		assertThat(deliver(cluster.clientUrl(), textMessage("zhaoliu", "in the group " + shortId(), chat)).statusCode())
			.isEqualTo(200);

		List<JsonNode> sent = awaitSends("/cgi-bin/appchat/send", chat, 1);
		assertThat(sent.get(0).path("text").path("content").asText()).isEqualTo(ANSWER);
	}

	@Test
	void resetClearsTheConversation() throws Exception {
		String user = "reset-" + shortId();

		deliver(cluster.clientUrl(), textMessage(user, "/reset", null));

		List<JsonNode> sent = awaitSends("/cgi-bin/message/send", user, 1);
		assertThat(sent.get(0).path("text").path("content").asText()).contains("上下文已清除");
	}

	@Test
	void eventsAreAcknowledgedAndIgnored() throws Exception {
		String user = "event-" + shortId();
		String xml = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[" + user
				+ "]]></FromUserName><CreateTime>" + System.currentTimeMillis() / 1000
				+ "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event>"
				+ "<EventKey><![CDATA[]]></EventKey><AgentID>" + AGENT_ID + "</AgentID></xml>";
		int llmCalls = openAi.getAllServeEvents().size();

		assertThat(deliver(cluster.clientUrl(), envelope(WECOM.encryptContext(xml))).statusCode()).isEqualTo(200);

		Thread.sleep(1000);
		assertThat(sendsTo("/cgi-bin/message/send", user)).isEmpty();
		assertThat(openAi.getAllServeEvents()).hasSize(llmCalls);
	}

	@Test
	void badCallbacksAreRejectedAndNothingIsProcessedOrStored() throws Exception {
		int llmCalls = openAi.getAllServeEvents().size();
		int seen = redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:wecom:*").size();
		Webhook good = textMessage("mallory", "forged " + shortId(), null);
		String staleTimestamp = String.valueOf(System.currentTimeMillis() / 1000 - 3 * 3600);
		WxCryptUtil otherCorp = new WxCryptUtil(TOKEN, AES_KEY, "wwotherCorp0000000");
		Webhook wrongCorp = envelope(otherCorp.encryptContext(textXml("mallory", "other corp", "1", null)));
		String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
				+ "<xml><ToUserName>&x;</ToUserName><Encrypt><![CDATA[" + good.encrypt() + "]]></Encrypt></xml>";

		assertThat(deliver(cluster.clientUrl(), good.withSignature("0".repeat(40))).statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(),
				good.withTimestamp(staleTimestamp, SHA1.gen(TOKEN, staleTimestamp, good.nonce(), good.encrypt())))
			.statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), wrongCorp).statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), good.withBody("<xml><Encrypt>unterminated")).statusCode())
			.isEqualTo(400);
		assertThat(deliver(cluster.clientUrl(), good.withBody(xxe)).statusCode()).isEqualTo(400);
		// Read before it is authenticated: 60,000 levels deep took a StackOverflowError
		// and a 500. Such a body is now over the 64 KiB cap (413, below); the parser's
		// depth limit answers what fits under it, 9,000 levels in 63 KB.
		String deep = "<xml><Encrypt>" + "<a>".repeat(9_000) + "</a>".repeat(9_000) + "</Encrypt></xml>";
		assertThat(deliver(cluster.clientUrl(), good.withBody(deep)).statusCode()).isEqualTo(400);
		assertThat(deliver(cluster.clientUrl(), good.withBody("<xml>" + "x".repeat(65_536) + "</xml>")).statusCode())
			.as("over WeCom's 64 KiB body cap")
			.isEqualTo(413);

		Thread.sleep(500);
		assertThat(openAi.getAllServeEvents()).hasSize(llmCalls);
		assertThat(redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:wecom:*")).hasSize(seen);
		assertThat(sendsTo("/cgi-bin/message/send", "mallory")).isEmpty();
		assertThat(java.nio.file.Files.readString(cluster.client().logFile())).contains("Callback rejected (SIGNATURE)")
			.contains("Callback rejected (STALE)")
			.contains("Callback rejected (WRONG_RECEIVER)")
			.doesNotContain(AES_KEY)
			.doesNotContain("wecom-app-secret-not-real")
			.doesNotContain("StackOverflowError");
		assertThat(HTTP
			.send(HttpRequest.newBuilder(URI.create(cluster.clientUrl() + "/actuator/health/readiness")).build(),
					HttpResponse.BodyHandlers.ofString())
			.statusCode()).as("the node stays healthy").isEqualTo(200);
	}

	private static Webhook textMessage(String user, String text, String chatId) {
		return envelope(WECOM.encryptContext(
				textXml(user, text, String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits())), chatId)));
	}

	private static String textXml(String user, String text, String msgId, String chatId) {
		return "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[" + user
				+ "]]></FromUserName><CreateTime>" + System.currentTimeMillis() / 1000
				+ "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + text + "]]></Content><MsgId>"
				+ msgId + "</MsgId><AgentID>" + AGENT_ID + "</AgentID>"
				+ ((chatId != null) ? "<ChatId><![CDATA[" + chatId + "]]></ChatId>" : "") + "</xml>";
	}

	private static Webhook envelope(WxCryptUtil.EncryptContext context) {
		String body = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA["
				+ context.getEncrypt() + "]]></Encrypt><AgentID><![CDATA[" + AGENT_ID + "]]></AgentID></xml>";
		return new Webhook(context.getSignature(), context.getTimeStamp(), context.getNonce(), context.getEncrypt(),
				body);
	}

	private static HttpResponse<String> deliver(String clientUrl, Webhook webhook) throws Exception {
		return HTTP.send(HttpRequest
			.newBuilder(URI.create(clientUrl + "/callback/wecom?msg_signature=" + webhook.signature() + "&timestamp="
					+ webhook.timestamp() + "&nonce=" + webhook.nonce()))
			.header("Content-Type", "text/xml")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(webhook.body()))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> deliverUnchecked(String clientUrl, Webhook webhook) {
		try {
			return deliver(clientUrl, webhook);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String secondClientUrl() {
		return "http://127.0.0.1:" + secondClient.httpPort();
	}

	private static List<JsonNode> awaitSends(String path, String addressee, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		List<JsonNode> sent = sendsTo(path, addressee);
		while (sent.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(50);
			sent = sendsTo(path, addressee);
		}
		assertThat(sent).as("sends to %s at %s", addressee, path).hasSize(count);
		return sent;
	}

	/** Sends to one user or chat, in the order WeCom received them. */
	private static List<JsonNode> sendsTo(String path, String addressee) {
		List<LoggedRequest> requests = new ArrayList<>(wecomApi.findAll(postRequestedFor(urlPathEqualTo(path))));
		requests.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
		return requests.stream()
			.map((request) -> SystemCluster.readJson(request.getBodyAsString()))
			.filter((body) -> addressee.equals(body.path("touser").asText())
					|| addressee.equals(body.path("chatid").asText()))
			.toList();
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** A webhook as WeCom sends it: the signed query and the XML envelope. */
	private record Webhook(String signature, String timestamp, String nonce, String encrypt, String body) {

		Webhook withSignature(String forged) {
			return new Webhook(forged, this.timestamp, this.nonce, this.encrypt, this.body);
		}

		Webhook withTimestamp(String stale, String signed) {
			return new Webhook(signed, stale, this.nonce, this.encrypt, this.body);
		}

		Webhook withBody(String other) {
			return new Webhook(this.signature, this.timestamp, this.nonce, this.encrypt, other);
		}

	}

}
