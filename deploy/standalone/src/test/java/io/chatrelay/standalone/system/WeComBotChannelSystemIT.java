package io.chatrelay.standalone.system;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.standalone.launcher.NodeProcess;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingEntry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WeCom 智能机器人 channel end to end: callbacks built the way WeCom builds them
 * (encrypted and signed by WxJava's {@link WxCryptUtil} with receiveid {@code ""}, an
 * independent implementation) go into two client nodes; the encrypted stream replies are
 * decrypted and their signatures checked by WxJava; refresh callbacks are answered until
 * the stream is final with the WireMock "OpenAI" stream's whole answer. Messages go
 * through the durable inbox: any node's worker answers them, and a node killed while it
 * answers leaves the stream to the other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WeComBotChannelSystemIT {

	private static final Logger log = LoggerFactory.getLogger(WeComBotChannelSystemIT.class);

	/** The AI-bot vector's credentials (protocols {@code wecom-aibot-json-computed}). */
	private static final String TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";

	private static final String AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

	private static final String AIBOT = "aibK9xLq2mW3vN4bT5cR6dS7";

	/** The answer, streamed by {@link OpenAiStubs} as "Hel", "lo, ", "wor", "ld!". */
	private static final String STREAMED = "Hello, world!";

	private static final String RESET_TEXT = "上下文已清除。Conversation context cleared.";

	private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	/** Questions containing this are answered after 4 s. */
	private static final String SLOW = "slow-answer";

	private static final String INBOX = "cr:{" + SystemCluster.TENANT + "}:inbox";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final WxCryptUtil WECOM = new WxCryptUtil(TOKEN, AES_KEY, "");

	private static WireMockServer openAi;

	private static SystemCluster cluster;

	private static NodeProcess secondClient;

	private static JedisPooled redis;

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		openAi.start();
		OpenAiStubs.install(openAi, STREAMED);
		// A slow model, for the node killed while it answers.
		openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(2)
			.withRequestBody(containing(SLOW))
			.withRequestBody(containing("\"stream\":true"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "text/event-stream")
				.withBody(OpenAiStubs.stream("Hel", "lo, ", "wor", "ld!"))
				.withFixedDelay(4000)));
		// Entries of a killed node are taken over after 3 s.
		Map<String, String> channel = Map.of("chat.client.channel.wecom-bot.token", TOKEN,
				"chat.client.channel.wecom-bot.encoding-aes-key", AES_KEY, "chat.client.inbox.claim-idle", "3s",
				"chat.client.inbox.retry-backoff", "500ms");
		cluster = SystemCluster.start("wecom-bot-channel");
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
		if (openAi != null) {
			openAi.stop();
		}
	}

	@Test
	void answersUrlVerificationWithThePlaintextOnly() throws Exception {
		String echo = "1616140317555161061";
		String echostr = WECOM.encrypt("abcdefghijklmnop", echo);
		String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
		String signature = SHA1.gen(TOKEN, timestamp, "263014780", echostr);

		long started = System.nanoTime();
		HttpResponse<String> response = HTTP.send(HttpRequest
			.newBuilder(URI
				.create(cluster.clientUrl() + "/callback/wecom-bot?msg_signature=" + signature + "&timestamp="
						+ timestamp + "&nonce=263014780&echostr=" + URLEncoder.encode(echostr, StandardCharsets.UTF_8)))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		long millis = (System.nanoTime() - started) / 1_000_000;

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.body()).isEqualTo(echo);
		assertThat(millis).as("answered within WeCom's 1 s").isLessThan(1000);
	}

	@Test
	void aTextMessageStartsAStreamThatRefreshesToTheWholeAnswer() throws Exception {
		String user = "zhangsan-" + shortId();
		String text = "hello bot " + shortId();
		Webhook webhook = callback(message(newMsgId(), user, null, text));

		long started = System.nanoTime();
		HttpResponse<String> ack = deliver(cluster.clientUrl(), webhook);
		long ackMillis = (System.nanoTime() - started) / 1_000_000;
		log.info("First WeCom bot callback answered in {} ms", ackMillis);

		StreamReply first = reply(ack, webhook.nonce());
		assertThat(first.id()).matches(STREAM_ID);
		assertThat(first.finish()).isFalse();
		assertThat(first.content()).isEmpty();
		assertThat(ackMillis).as("the stream starts well inside WeCom's 5 s").isLessThan(1000);

		StreamReply last = awaitFinished(first.id(), cluster.clientUrl());
		assertThat(last.content()).isEqualTo(STREAMED);
		List<LoggedRequest> asked = llmRequests(text);
		assertThat(asked).hasSize(1);
		assertThat(asked.get(0).getBodyAsString()).contains("\"stream\":true");
		assertThat(redis.exists(contextKey(AIBOT + ":" + user))).as("the turn is kept for the conversation").isTrue();
	}

	@Test
	void aGroupMessageLosesItsMentionAndHasItsOwnConversation() throws Exception {
		String user = "lisi-" + shortId();
		String chat = "wrkSFfCgAAxyz-" + shortId();
		String question = "how are you " + shortId();
		Webhook webhook = callback(message(newMsgId(), user, chat, "@RobotA " + question));

		StreamReply first = reply(deliver(cluster.clientUrl(), webhook), webhook.nonce());

		assertThat(awaitFinished(first.id(), cluster.clientUrl()).content()).isEqualTo(STREAMED);
		List<LoggedRequest> asked = llmRequests(question);
		assertThat(asked).hasSize(1);
		assertThat(asked.get(0).getBodyAsString()).doesNotContain("@RobotA");
		assertThat(redis.exists(contextKey(AIBOT + ":" + chat + ":" + user))).isTrue();
		assertThat(redis.exists(contextKey(AIBOT + ":" + user))).isFalse();
	}

	@Test
	void theSameMsgidDeliveredThreeTimesAndToBothNodesGetsOneStreamAndOneLlmCall() throws Exception {
		String user = "wangwu-" + shortId();
		String text = "retried by wecom " + shortId();
		ObjectNode message = message(newMsgId(), user, null, text);
		Webhook webhook = callback(message);
		double duplicatesBefore = duplicates();

		List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
		for (String node : List.of(cluster.clientUrl(), secondClientUrl(), cluster.clientUrl(), secondClientUrl())) {
			deliveries.add(CompletableFuture.supplyAsync(() -> deliverUnchecked(node, webhook)));
		}
		List<String> streamIds = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> delivery : deliveries) {
			streamIds.add(reply(delivery.join(), webhook.nonce()).id());
		}

		assertThat(streamIds).hasSize(4).containsOnly(streamIds.get(0));
		StreamReply last = awaitFinished(streamIds.get(0), secondClientUrl());
		assertThat(last.content()).isEqualTo(STREAMED);
		// WeCom re-delivers the same message later, encrypted afresh.
		Webhook redelivery = callback(message);
		StreamReply again = reply(deliver(secondClientUrl(), redelivery), redelivery.nonce());
		assertThat(again).isEqualTo(new StreamReply(streamIds.get(0), true, STREAMED));
		Thread.sleep(1000);
		assertThat(llmRequests(text)).hasSize(1);
		assertThat(duplicates() - duplicatesBefore).isEqualTo(4);
	}

	@Test
	void aMessageAcceptedByOneNodeIsAnsweredFromTheInboxAndFinishedForTheOther() throws Exception {
		String user = "zhaoliu-" + shortId();
		String text = "durable question " + shortId();
		Webhook webhook = callback(message(newMsgId(), user, null, text));
		awaitInboxEmpty();
		double answeredBefore = metric("chat_client_replies_total", "outcome=\"answered\"");
		double timedBefore = metric("chat_client_reply_seconds_count", null);

		StreamReply first = reply(deliver(cluster.clientUrl(), webhook), webhook.nonce());

		assertThat(first.finish()).isFalse();
		StreamReply last = awaitFinished(first.id(), secondClientUrl());
		assertThat(last.content()).isEqualTo(STREAMED);
		assertThat(llmRequests(text)).hasSize(1);
		awaitInboxEmpty();
		assertThat(metric("chat_client_replies_total", "outcome=\"answered\"") - answeredBefore).isEqualTo(1);
		assertThat(metric("chat_client_reply_seconds_count", null) - timedBefore).isEqualTo(1);
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void aClientKilledWhileItAnswersLeavesTheSameStreamToTheOtherNode() throws Exception {
		String user = "killed-" + shortId();
		String text = SLOW + " " + shortId();
		Webhook webhook = callback(message(newMsgId(), user, null, text));
		awaitInboxEmpty();
		StreamReply first = reply(deliver(cluster.clientUrl(), webhook), webhook.nonce());
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (llmRequests(text).isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(llmRequests(text)).as("a worker is answering").hasSize(1);
		List<StreamPendingEntry> pending = redis.xpending(INBOX, "workers",
				XPendingParams.xPendingParams("-", "+", 10));
		assertThat(pending).hasSize(1);
		String holder = pending.get(0).getConsumerName();
		NodeProcess answering = holder.startsWith(cluster.client().pid() + "@") ? cluster.client() : secondClient;
		NodeProcess survivor = (answering == secondClient) ? cluster.client() : secondClient;
		log.info("Killing {}, which answers the slow message, {}", answering, holder);

		answering.kill();

		StreamReply last = awaitFinished(first.id(), "http://127.0.0.1:" + survivor.httpPort());
		assertThat(last.content()).isEqualTo(STREAMED);
		assertThat(llmRequests(text)).as("asked again by the node that took over").hasSize(2);
		awaitInboxEmpty();
		assertThat(Files.readString(survivor.logFile())).contains("Took over");
	}

	@Test
	void resetClearsTheConversationWithoutAskingTheModel() throws Exception {
		String user = "reset-" + shortId();
		Webhook question = callback(message(newMsgId(), user, null, "remember me " + shortId()));
		awaitFinished(reply(deliver(cluster.clientUrl(), question), question.nonce()).id(), cluster.clientUrl());
		assertThat(redis.exists(contextKey(AIBOT + ":" + user))).isTrue();
		int llmCalls = openAi.getAllServeEvents().size();

		Webhook reset = callback(message(newMsgId(), user, null, "/reset"));
		StreamReply first = reply(deliver(secondClientUrl(), reset), reset.nonce());
		StreamReply last = first.finish() ? first : awaitFinished(first.id(), cluster.clientUrl());

		assertThat(last.content()).isEqualTo(RESET_TEXT);
		assertThat(redis.exists(contextKey(AIBOT + ":" + user))).isFalse();
		assertThat(openAi.getAllServeEvents()).hasSize(llmCalls);
	}

	@Test
	void aMessageWithoutTextIsAcknowledgedAndIgnored() throws Exception {
		String msgId = newMsgId();
		ObjectNode image = JSON.createObjectNode()
			.put("msgid", msgId)
			.put("aibotid", AIBOT)
			.put("chattype", "single")
			.put("msgtype", "image");
		image.putObject("from").put("userid", "image-" + shortId());
		image.putObject("image").put("url", "https://ww-aibot-img-1258476243.cos.example/image");
		int llmCalls = openAi.getAllServeEvents().size();

		HttpResponse<String> ack = deliver(cluster.clientUrl(), callback(image));

		assertThat(ack.statusCode()).isEqualTo(200);
		assertThat(ack.body()).isEmpty();
		Thread.sleep(500);
		assertThat(openAi.getAllServeEvents()).hasSize(llmCalls);
		assertThat(redis.exists(seenKey(msgId))).isFalse();
	}

	@Test
	void aRefreshForAnUnknownStreamIsAnsweredAsFinished() throws Exception {
		Webhook refresh = refresh("neverHandedOut" + shortId());

		StreamReply reply = reply(deliver(secondClientUrl(), refresh), refresh.nonce());

		assertThat(reply).isEqualTo(new StreamReply(reply.id(), true, ""));
		assertThat(reply.id()).startsWith("neverHandedOut");
	}

	@Test
	void badCallbacksAreRejectedAndNothingIsProcessedOrStored() throws Exception {
		int llmCalls = openAi.getAllServeEvents().size();
		int seen = redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:wecom-bot:*").size();
		int streams = redis.keys("cr:{" + SystemCluster.TENANT + "}:bot:stream:*").size();
		String msgId = newMsgId();
		ObjectNode forged = message(msgId, "mallory", null, "forged " + shortId());
		Webhook good = callback(forged);
		String staleTimestamp = String.valueOf(System.currentTimeMillis() / 1000 - 3 * 3600);
		WxCryptUtil otherReceiver = new WxCryptUtil(TOKEN, AES_KEY, "wwsomecorp");
		Webhook wrongReceiver = envelope(otherReceiver.encryptContext(JSON.writeValueAsString(forged)));

		assertThat(deliver(cluster.clientUrl(), good.withSignature("0".repeat(40))).statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(),
				good.withTimestamp(staleTimestamp, SHA1.gen(TOKEN, staleTimestamp, good.nonce(), good.encrypt())))
			.statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), wrongReceiver).statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), good.withBody("{\"encrypt\":")).statusCode()).isEqualTo(400);
		assertThat(deliver(cluster.clientUrl(), good.withBody("{\"encrypt\":\"" + "A".repeat(131_072) + "\"}"))
			.statusCode()).as("over the bot's 128 KiB body cap").isEqualTo(413);

		Thread.sleep(500);
		assertThat(openAi.getAllServeEvents()).hasSize(llmCalls);
		assertThat(redis.exists(seenKey(msgId))).isFalse();
		assertThat(redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:wecom-bot:*")).hasSize(seen);
		assertThat(redis.keys("cr:{" + SystemCluster.TENANT + "}:bot:stream:*")).hasSize(streams);
		assertThat(Files.readString(cluster.client().logFile())).contains("Callback rejected (SIGNATURE)")
			.contains("Callback rejected (STALE)")
			.contains("Callback rejected (WRONG_RECEIVER)")
			.contains("Callback rejected (MALFORMED)");
		for (NodeProcess client : List.of(cluster.client(), secondClient)) {
			assertThat(Files.readString(client.logFile())).doesNotContain(AES_KEY).doesNotContain(TOKEN);
		}
	}

	private static ObjectNode message(String msgId, String user, String chatId, String text) {
		ObjectNode message = JSON.createObjectNode().put("msgid", msgId).put("aibotid", AIBOT);
		if (chatId != null) {
			message.put("chatid", chatId);
		}
		message.put("chattype", (chatId != null) ? "group" : "single");
		message.putObject("from").put("userid", user);
		message.put("response_url", "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=not-real");
		message.put("msgtype", "text");
		message.putObject("text").put("content", text);
		return message;
	}

	private static Webhook refresh(String streamId) {
		ObjectNode refresh = JSON.createObjectNode().put("msgid", newMsgId()).put("aibotid", AIBOT);
		refresh.put("chattype", "single");
		refresh.putObject("from").put("userid", "refresher");
		refresh.put("msgtype", "stream");
		refresh.putObject("stream").put("id", streamId);
		return callback(refresh);
	}

	private static Webhook callback(ObjectNode message) {
		try {
			return envelope(WECOM.encryptContext(JSON.writeValueAsString(message)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Webhook envelope(WxCryptUtil.EncryptContext context) {
		String body = JSON.createObjectNode().put("encrypt", context.getEncrypt()).toString();
		return new Webhook(context.getSignature(), context.getTimeStamp(), context.getNonce(), context.getEncrypt(),
				body);
	}

	/**
	 * Read an encrypted stream reply as WeCom does: the nonce must be the callback's,
	 * WxJava checks the signature and decrypts.
	 */
	private static StreamReply reply(HttpResponse<String> response, String nonce) {
		assertThat(response.statusCode()).as("status, body %s", response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode envelope = SystemCluster.readJson(response.body());
		assertThat(envelope.path("nonce").asText()).isEqualTo(nonce);
		assertThat(envelope.path("timestamp").isIntegralNumber()).isTrue();
		assertThat(envelope.path("timestamp").asLong()).isCloseTo(System.currentTimeMillis() / 1000,
				org.assertj.core.data.Offset.offset(60L));
		String plaintext = WECOM.decryptContent(envelope.path("msgsignature").asText(),
				envelope.path("timestamp").asText(), nonce, envelope.path("encrypt").asText());
		JsonNode message = SystemCluster.readJson(plaintext);
		assertThat(message.path("msgtype").asText()).isEqualTo("stream");
		JsonNode stream = message.path("stream");
		assertThat(stream.path("finish").isBoolean()).isTrue();
		return new StreamReply(stream.path("id").asText(), stream.path("finish").asBoolean(),
				stream.path("content").asText());
	}

	/**
	 * Refresh a stream as WeCom does until it is final; every content extends the one
	 * before (it is cumulative).
	 */
	private static StreamReply awaitFinished(String streamId, String clientUrl) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		String shown = "";
		while (System.nanoTime() < deadline) {
			Webhook refresh = refresh(streamId);
			StreamReply reply = reply(deliver(clientUrl, refresh), refresh.nonce());
			assertThat(reply.id()).isEqualTo(streamId);
			if (reply.finish()) {
				return reply;
			}
			assertThat(reply.content()).startsWith(shown);
			shown = reply.content();
			Thread.sleep(100);
		}
		throw new AssertionError("Stream " + streamId + " did not finish within 30 s");
	}

	/** The answered entry leaves the inbox just after its final state is stored. */
	private static void awaitInboxEmpty() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (redis.xlen(INBOX) > 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(redis.xlen(INBOX)).as("entries left in the inbox").isZero();
	}

	private static HttpResponse<String> deliver(String clientUrl, Webhook webhook) throws Exception {
		return HTTP.send(HttpRequest
			.newBuilder(URI.create(clientUrl + "/callback/wecom-bot?msg_signature=" + webhook.signature()
					+ "&timestamp=" + webhook.timestamp() + "&nonce=" + webhook.nonce()))
			.header("Content-Type", "application/json")
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

	private static List<LoggedRequest> llmRequests(String text) {
		return openAi.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(text)));
	}

	/** Duplicates counted by both nodes. */
	private static double duplicates() throws Exception {
		return metric("chat_client_callbacks_total", "outcome=\"duplicate\"");
	}

	/** A wecom-bot series summed over both nodes. */
	private static double metric(String name, String label) throws Exception {
		double total = 0;
		Pattern line = Pattern.compile(Pattern.quote(name) + "\\{([^}]*)} (\\S+)");
		for (NodeProcess node : List.of(cluster.client(), secondClient)) {
			String metrics = SystemCluster.prometheus(node);
			Matcher matcher = line.matcher(metrics);
			while (matcher.find()) {
				String labels = matcher.group(1);
				if (labels.contains("channel=\"wecom-bot\"") && (label == null || labels.contains(label))) {
					total += Double.parseDouble(matcher.group(2));
				}
			}
		}
		return total;
	}

	private static String contextKey(String conversationTail) {
		return "cr:{" + SystemCluster.TENANT + "}:ctx:wecom-bot:" + conversationTail;
	}

	private static String seenKey(String msgId) {
		return "cr:{" + SystemCluster.TENANT + "}:seen:wecom-bot:" + msgId;
	}

	private static String secondClientUrl() {
		return "http://127.0.0.1:" + secondClient.httpPort();
	}

	private static String newMsgId() {
		// Shaped like WeCom's ("CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI="): Base64, with "/" and
		// "=".
		String hex = UUID.randomUUID().toString().replace("-", "");
		return "CAIQ" + hex.substring(0, 12) + "/" + hex.substring(12) + "=";
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** A callback as WeCom sends it: the signed query and the JSON envelope. */
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

	/** A decrypted stream reply. */
	private record StreamReply(String id, boolean finish, String content) {
	}

}
