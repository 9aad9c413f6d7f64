package io.chatrelay.standalone.system;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.lark.oapi.core.utils.Decryptor;
import com.lark.oapi.event.EventDispatcher;
import io.chatrelay.standalone.launcher.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Feishu/Lark bot channel end to end: events encrypted the way Feishu encrypts them
 * (AES-256-CBC, key SHA-256(Encrypt Key), checked against the Lark SDK's
 * {@link Decryptor}) and signed by the Lark SDK's own
 * {@code EventDispatcher#calculateSignature} go into a client node, through a provider to
 * a WireMock "OpenAI", and the reply is observed at a WireMock standing in for Feishu's
 * Open API.
 */
class FeishuChannelSystemIT {

	private static final String APP_ID = "cli_9f5343c580712544";

	private static final String APP_SECRET = "feishu-app-secret-not-real-0001";

	private static final String VERIFICATION_TOKEN = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";

	private static final String ENCRYPT_KEY = "feishu-encrypt-key-not-real-0001";

	private static final String ANSWER = "relayed by feishu";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static WireMockServer openAi;

	private static WireMockServer feishu;

	private static SystemCluster cluster;

	private static NodeProcess secondClient;

	private static JedisPooled redis;

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		openAi.start();
		OpenAiStubs.install(openAi, ANSWER);
		feishu = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		feishu.start();
		feishu.stubFor(post(urlPathEqualTo("/open-apis/auth/v3/tenant_access_token/internal")).willReturn(
				okJson("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-feishu-token-1\",\"expire\":7200}")));
		feishu.stubFor(post(urlPathMatching("/open-apis/im/v1/messages/[^/]+/reply"))
			.willReturn(okJson("{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_reply\","
					+ "\"msg_type\":\"text\",\"body\":{\"content\":\"{}\"}}}")));
		Map<String, String> channel = Map.of("chat.client.channel.feishu.app-id", APP_ID,
				"chat.client.channel.feishu.app-secret", APP_SECRET, "chat.client.channel.feishu.verification-token",
				VERIFICATION_TOKEN, "chat.client.channel.feishu.encrypt-key", ENCRYPT_KEY,
				"chat.client.channel.feishu.api-base-url", feishu.baseUrl());
		cluster = SystemCluster.start("feishu-channel");
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
		for (WireMockServer server : new WireMockServer[] { openAi, feishu }) {
			if (server != null) {
				server.stop();
			}
		}
	}

	@Test
	void urlVerificationIsAnsweredWithThePlainChallengeEncryptedOrNot() throws Exception {
		ObjectNode verification = JSON.createObjectNode()
			.put("challenge", "ajls384kdjx98XX")
			.put("token", VERIFICATION_TOKEN)
			.put("type", "url_verification");

		HttpResponse<String> encrypted = deliver(cluster.clientUrl(), encrypted(verification.toString()), false);
		HttpResponse<String> plain = deliver(cluster.clientUrl(), verification.toString(), false);

		assertThat(encrypted.statusCode()).isEqualTo(200);
		assertThat(SystemCluster.readJson(encrypted.body()).path("challenge").asText()).isEqualTo("ajls384kdjx98XX");
		assertThat(plain.statusCode()).isEqualTo(200);
		assertThat(SystemCluster.readJson(plain.body()).path("challenge").asText()).isEqualTo("ajls384kdjx98XX");
	}

	@Test
	void aP2pMessageIsAckedAtOnceAndAnsweredAsAReply() throws Exception {
		String messageId = "om_" + shortId();
		String eventId = UUID.randomUUID().toString().replace("-", "");
		String event = event(eventId, messageId, "p2p", "你好 " + shortId(), List.of());

		long started = System.nanoTime();
		HttpResponse<String> ack = deliver(cluster.clientUrl(), encrypted(event), true);
		long ackMillis = (System.nanoTime() - started) / 1_000_000;

		assertThat(ack.statusCode()).isEqualTo(200);
		assertThat(ackMillis).as("acked well inside Feishu's 3 s").isLessThan(1000);
		List<LoggedRequest> replies = awaitReplies(messageId, 1);
		JsonNode body = SystemCluster.readJson(replies.get(0).getBodyAsString());
		assertThat(body.path("msg_type").asText()).isEqualTo("text");
		assertThat(SystemCluster.readJson(body.path("content").asText()).path("text").asText()).isEqualTo(ANSWER);
		assertThat(body.path("uuid").asText()).isEqualTo(eventId + "-0");
		assertThat(replies.get(0).getHeader("Authorization")).isEqualTo("Bearer t-feishu-token-1");
	}

	@Test
	void aGroupMessageLosesItsMentionPlaceholderBeforeItReachesTheModel() throws Exception {
		String messageId = "om_" + shortId();
		String question = "group question " + shortId();

		deliver(cluster.clientUrl(), encrypted(event(UUID.randomUUID().toString().replace("-", ""), messageId, "group",
				"@_user_1 " + question, List.of("@_user_1"))), true);

		awaitReplies(messageId, 1);
		String upstream = openAi.getAllServeEvents()
			.stream()
			.map((served) -> served.getRequest().getBodyAsString())
			.filter((request) -> request.contains(question))
			.findFirst()
			.orElseThrow();
		assertThat(upstream).doesNotContain("@_user_1");
	}

	@Test
	void theSameEventDeliveredThreeTimesAndToTwoNodesAtOnceGetsOneReply() throws Exception {
		String messageId = "om_" + shortId();
		String body = encrypted(event(UUID.randomUUID().toString().replace("-", ""), messageId, "p2p",
				"retried " + shortId(), List.of()));

		List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
		for (String node : List.of(cluster.clientUrl(), secondClientUrl(), cluster.clientUrl(), secondClientUrl())) {
			deliveries.add(CompletableFuture.supplyAsync(() -> deliverUnchecked(node, body)));
		}
		deliveries.forEach((delivery) -> assertThat(delivery.join().statusCode()).isEqualTo(200));

		awaitReplies(messageId, 1);
		Thread.sleep(1500);
		assertThat(replies(messageId)).hasSize(1);
	}

	@Test
	void badCallbacksAreRejectedAndNothingIsProcessedOrStored() throws Exception {
		int llmCalls = openAi.getAllServeEvents().size();
		int seen = redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:feishu:*").size();
		String messageId = "om_mallory_" + shortId();
		String body = encrypted(
				event(UUID.randomUUID().toString().replace("-", ""), messageId, "p2p", "forged", List.of()));
		String nonce = "n-" + shortId();
		String now = String.valueOf(System.currentTimeMillis() / 1000);
		String stale = String.valueOf(System.currentTimeMillis() / 1000 - 10 * 3600);
		String wrongToken = encrypted(
				event(UUID.randomUUID().toString().replace("-", ""), messageId, "p2p", "token", List.of())
					.replace(VERIFICATION_TOKEN, "not-the-token"));

		assertThat(send(cluster.clientUrl(), body, now, nonce, "0".repeat(64)).statusCode()).isEqualTo(401);
		assertThat(send(cluster.clientUrl(), body, stale, nonce, signature(stale, nonce, body)).statusCode())
			.isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), body, false).statusCode()).as("unsigned event").isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), wrongToken, true).statusCode()).isEqualTo(401);
		String otherApp = encrypted(
				event(UUID.randomUUID().toString().replace("-", ""), messageId, "p2p", "app", List.of()).replace(APP_ID,
						"cli_another_app"));
		assertThat(deliver(cluster.clientUrl(), otherApp, true).statusCode()).as("another app's event").isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), "{\"encrypt\":", true).statusCode()).isEqualTo(400);
		assertThat(deliver(cluster.clientUrl(), "{\"pad\":\"" + "x".repeat(262_144) + "\"}", true).statusCode())
			.as("over Feishu's 256 KiB body cap")
			.isEqualTo(413);

		Thread.sleep(500);
		assertThat(openAi.getAllServeEvents()).hasSize(llmCalls);
		assertThat(redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:feishu:*")).hasSize(seen);
		assertThat(replies(messageId)).isEmpty();
		assertThat(java.nio.file.Files.readString(cluster.client().logFile())).contains("Callback rejected (SIGNATURE)")
			.contains("Callback rejected (STALE)")
			.contains("Callback rejected (WRONG_RECEIVER)")
			.doesNotContain(ENCRYPT_KEY)
			.doesNotContain(APP_SECRET);
	}

	/** An {@code im.message.receive_v1} event shaped like the doc example. */
	private static String event(String eventId, String messageId, String chatType, String text, List<String> mentions) {
		ObjectNode body = JSON.createObjectNode().put("schema", "2.0");
		body.putObject("header")
			.put("event_id", eventId)
			.put("event_type", "im.message.receive_v1")
			.put("create_time", String.valueOf(System.currentTimeMillis()))
			.put("token", VERIFICATION_TOKEN)
			.put("app_id", APP_ID)
			.put("tenant_key", "2ca1d211f64f6438");
		ObjectNode event = body.putObject("event");
		ObjectNode sender = event.putObject("sender");
		sender.putObject("sender_id")
			.put("union_id", "on_8ed6aa67826108097d9ee143816345")
			.put("user_id", "e33ggbyz")
			.put("open_id", "ou_" + messageId);
		sender.put("sender_type", "user").put("tenant_key", "736588c9260f175e");
		ObjectNode message = event.putObject("message")
			.put("message_id", messageId)
			.put("create_time", String.valueOf(System.currentTimeMillis()))
			.put("chat_id", "oc_" + messageId)
			.put("chat_type", chatType)
			.put("message_type", "text")
			.put("content", JSON.createObjectNode().put("text", text).toString());
		for (String key : mentions) {
			ObjectNode mention = message.withArray("mentions").addObject().put("key", key).put("name", "ChatRelay");
			mention.putObject("id").put("open_id", "ou_bot");
		}
		return body.toString();
	}

	/**
	 * Encrypt as Feishu does (key SHA-256(Encrypt Key), random IV first), checked against
	 * the Lark SDK's decryptor so that this encoder is right independently of the client.
	 */
	private static String encrypted(String plain) throws Exception {
		byte[] key = MessageDigest.getInstance("SHA-256").digest(ENCRYPT_KEY.getBytes(StandardCharsets.UTF_8));
		byte[] iv = new byte[16];
		new SecureRandom().nextBytes(iv);
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
		byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
		byte[] all = new byte[16 + sealed.length];
		System.arraycopy(iv, 0, all, 0, 16);
		System.arraycopy(sealed, 0, all, 16, sealed.length);
		String encrypt = Base64.getEncoder().encodeToString(all);
		assertThat(new Decryptor(ENCRYPT_KEY).decrypt(encrypt)).isEqualTo(plain);
		return JSON.createObjectNode().put("encrypt", encrypt).toString();
	}

	/** The signature by the Lark SDK's own (protected) implementation. */
	private static String signature(String timestamp, String nonce, String body) throws Exception {
		EventDispatcher dispatcher = EventDispatcher.newBuilder(VERIFICATION_TOKEN, ENCRYPT_KEY).build();
		Method calculate = EventDispatcher.class.getDeclaredMethod("calculateSignature", String.class, String.class,
				String.class, String.class);
		calculate.setAccessible(true);
		return (String) calculate.invoke(dispatcher, timestamp, nonce, ENCRYPT_KEY, body);
	}

	private static HttpResponse<String> deliver(String clientUrl, String body, boolean signed) throws Exception {
		if (!signed) {
			return send(clientUrl, body, null, null, null);
		}
		String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
		String nonce = "n-" + shortId();
		return send(clientUrl, body, timestamp, nonce, signature(timestamp, nonce, body));
	}

	private static HttpResponse<String> deliverUnchecked(String clientUrl, String body) {
		try {
			return deliver(clientUrl, body, true);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse<String> send(String clientUrl, String body, String timestamp, String nonce,
			String signature) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(clientUrl + "/callback/feishu"))
			.header("Content-Type", "application/json; charset=utf-8")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (signature != null) {
			request.header("X-Lark-Request-Timestamp", timestamp)
				.header("X-Lark-Request-Nonce", nonce)
				.header("X-Lark-Signature", signature);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String secondClientUrl() {
		return "http://127.0.0.1:" + secondClient.httpPort();
	}

	private static List<LoggedRequest> awaitReplies(String messageId, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		List<LoggedRequest> replies = replies(messageId);
		while (replies.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(50);
			replies = replies(messageId);
		}
		assertThat(replies).as("replies to %s", messageId).hasSize(count);
		return replies;
	}

	private static List<LoggedRequest> replies(String messageId) {
		return feishu.findAll(postRequestedFor(urlPathEqualTo("/open-apis/im/v1/messages/" + messageId + "/reply")));
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
