package io.chatrelay.standalone.system;

import java.net.URI;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.standalone.launcher.NodeProcess;

import static io.chatrelay.standalone.system.DingTalkWebhooks.APP_KEY;
import static io.chatrelay.standalone.system.DingTalkWebhooks.APP_SECRET;
import static io.chatrelay.standalone.system.DingTalkWebhooks.ROBOT_CODE;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DingTalk robot channel (HTTP mode) end to end: callbacks signed the way DingTalk
 * signs them (HmacSHA256 over {@code timestamp + "\n" + appSecret}, computed here with
 * the JCE, independently of the client) go into a client node, through a provider to a
 * WireMock "OpenAI", and the answer is observed at a WireMock standing in for the session
 * webhook and the robot OpenAPI.
 */
class DingTalkChannelSystemIT {

	private static final String ANSWER = "relayed by dingtalk";

	/** Numbered CJK sentences, 11,880 bytes: two parts of at most 6,000. */
	private static final String LONG_ANSWER = IntStream.range(0, 1000)
		.mapToObj((i) -> "第" + i + "句。")
		.collect(Collectors.joining());

	/** The fallback's answer (Zhipu, on the same WireMock under {@code /glm}). */
	private static final String FALLBACK_ANSWER = "relayed by glm";

	/** OpenAI's first-token timeout in this cluster; its total timeout stays 120 s. */
	private static final Duration FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(2);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static WireMockServer openAi;

	private static WireMockServer dingTalk;

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
		// OpenAI takes the request and never answers (far beyond the first-token
		// timeout).
		openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing("hang-openai"))
			.willReturn(OpenAiStubs.streamed("too late").withFixedDelay(60_000)));
		openAi.stubFor(post(urlEqualTo("/glm/chat/completions")).willReturn(OpenAiStubs.streamed(FALLBACK_ANSWER)));
		dingTalk = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		dingTalk.start();
		dingTalk.stubFor(
				post(urlPathEqualTo("/robot/sendBySession")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
		dingTalk.stubFor(post(urlPathEqualTo("/v1.0/oauth2/accessToken"))
			.willReturn(okJson("{\"accessToken\":\"ding-token-1\",\"expireIn\":7200}")));
		dingTalk.stubFor(post(urlPathEqualTo("/v1.0/robot/groupMessages/send"))
			.willReturn(okJson("{\"processQueryKey\":\"pqk-1\"}")));
		dingTalk.stubFor(post(urlPathEqualTo("/v1.0/robot/oToMessages/batchSend")).willReturn(
				okJson("{\"processQueryKey\":\"pqk-2\",\"invalidStaffIdList\":[],\"flowControlledStaffIdList\":[]}")));
		Map<String, String> channel = Map.of("chat.client.channel.dingtalk.app-key", APP_KEY,
				"chat.client.channel.dingtalk.app-secret", APP_SECRET, "chat.client.channel.dingtalk.robot-code",
				ROBOT_CODE, "chat.client.channel.dingtalk.api-base-url", dingTalk.baseUrl(),
				"chat.client.channel.dingtalk.session-webhook-http-hosts", "localhost",
				"chat.client.channel.dingtalk.replay-window", "2s");
		cluster = SystemCluster.start("dingtalk-channel");
		cluster.startNodes(1, openAi.baseUrl() + "/v1",
				Map.of("chat.provider.model.openai.first-token-timeout", FIRST_TOKEN_TIMEOUT.toString(),
						"chat.provider.model.zhipu.base-url", openAi.baseUrl() + "/glm",
						"chat.provider.model.zhipu.api-key", "plain-zhipu-key"),
				channel);
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
		for (WireMockServer server : new WireMockServer[] { openAi, dingTalk }) {
			if (server != null) {
				server.stop();
			}
		}
	}

	@Test
	void aOneToOneMessageIsAckedAtOnceAndAnsweredThroughTheSessionWebhook() throws Exception {
		String session = "s-" + shortId();
		String body = message("1", "staff-" + shortId(), "cid-" + shortId(), "你好 " + shortId(), session,
				Duration.ofMinutes(90));

		long started = System.nanoTime();
		HttpResponse<String> ack = deliver(cluster.clientUrl(), body, signedNow());
		long ackMillis = (System.nanoTime() - started) / 1_000_000;

		assertThat(ack.statusCode()).isEqualTo(200);
		assertThat(ackMillis).as("acked at once").isLessThan(1000);
		List<JsonNode> sent = awaitSessionReplies(session, 1);
		assertThat(sent.get(0).path("msgtype").asText()).isEqualTo("markdown");
		assertThat(sent.get(0).path("markdown").path("text").asText()).isEqualTo(ANSWER);
		assertThat(sent.get(0).path("markdown").path("title").asText()).isNotBlank();
	}

	@Test
	void aGroupMessageAfterItsWebhookExpiredIsAnsweredThroughTheGroupApi() throws Exception {
		String group = "cidgroup-" + shortId();
		String body = message("2", "staff-" + shortId(), group, "群里的问题 " + shortId(), "expired-" + shortId(),
				Duration.ofMinutes(-1));

		assertThat(deliver(cluster.clientUrl(), body, signedNow()).statusCode()).isEqualTo(200);

		List<LoggedRequest> sent = awaitApiSends("/v1.0/robot/groupMessages/send", "openConversationId", group, 1);
		JsonNode request = SystemCluster.readJson(sent.get(0).getBodyAsString());
		assertThat(request.path("robotCode").asText()).isEqualTo(ROBOT_CODE);
		assertThat(request.path("msgKey").asText()).isEqualTo("sampleMarkdown");
		assertThat(SystemCluster.readJson(request.path("msgParam").asText()).path("text").asText()).isEqualTo(ANSWER);
		assertThat(sent.get(0).getHeader("x-acs-dingtalk-access-token")).isEqualTo("ding-token-1");
	}

	@Test
	void aOneToOneMessageAfterItsWebhookExpiredIsAnsweredThroughTheUserApi() throws Exception {
		String staff = "staff-" + shortId();
		String body = message("1", staff, "cid-" + shortId(), "late question " + shortId(), "expired-" + shortId(),
				Duration.ofMinutes(-1));

		assertThat(deliver(cluster.clientUrl(), body, signedNow()).statusCode()).isEqualTo(200);

		List<LoggedRequest> sent = awaitApiSends("/v1.0/robot/oToMessages/batchSend", "userIds", staff, 1);
		JsonNode request = SystemCluster.readJson(sent.get(0).getBodyAsString());
		assertThat(SystemCluster.readJson(request.path("msgParam").asText()).path("text").asText()).isEqualTo(ANSWER);
	}

	@Test
	void aVendorThatNeverSendsItsFirstTokenIsLeftForTheFallbackAfterTheFirstTokenTimeout() throws Exception {
		String session = "s-" + shortId();
		String body = message("1", "staff-" + shortId(), "cid-" + shortId(), "hang-openai " + shortId(), session,
				Duration.ofMinutes(90));

		long started = System.nanoTime();
		assertThat(deliver(cluster.clientUrl(), body, signedNow()).statusCode()).isEqualTo(200);
		List<JsonNode> sent = awaitSessionReplies(session, 1);
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(sent.get(0).path("markdown").path("text").asText()).isEqualTo(FALLBACK_ANSWER);
		// the first-token timeout plus the fallback's own latency, not the 120 s total
		// timeout of a whole answer
		assertThat(took).isGreaterThanOrEqualTo(FIRST_TOKEN_TIMEOUT).isLessThan(FIRST_TOKEN_TIMEOUT.plusSeconds(8));
		System.getLogger(DingTalkChannelSystemIT.class.getName())
			.log(System.Logger.Level.INFO, "Hanging primary: the fallback answered after {0} ms", took.toMillis());
	}

	@Test
	void aSessionWebhookOnAnotherHostIsNeverPostedTo() throws Exception {
		String staff = "staff-" + shortId();
		String body = message("1", staff, "cid-" + shortId(), "where do answers go " + shortId(), "evil",
				Duration.ofMinutes(90))
			.replace(dingTalk.baseUrl() + "/robot/sendBySession", "http://127.0.0.1:" + dingTalk.port() + "/evil");

		assertThat(deliver(cluster.clientUrl(), body, signedNow()).statusCode()).isEqualTo(200);

		awaitApiSends("/v1.0/robot/oToMessages/batchSend", "userIds", staff, 1);
		assertThat(dingTalk.findAll(postRequestedFor(urlPathEqualTo("/evil")))).isEmpty();
	}

	@Test
	void aRefusedSessionWebhookWithNoOtherAddressIsRejectedNotLostSilently() throws Exception {
		String body = message("1", "", "cid-" + shortId(), "external " + shortId(), "evil", Duration.ofMinutes(90))
			.replace(dingTalk.baseUrl() + "/robot/sendBySession", "http://127.0.0.1:" + dingTalk.port() + "/evil");

		assertThat(deliver(cluster.clientUrl(), body, signedNow()).statusCode()).isEqualTo(400);

		assertThat(dingTalk.findAll(postRequestedFor(urlPathEqualTo("/evil")))).isEmpty();
		assertThat(java.nio.file.Files.readString(cluster.client().logFile()))
			.contains("sessionWebhook is not https on a host of session-webhook-hosts");
	}

	@Test
	void aSignatureReusedWithANewMsgIdAfterTheReplayWindowIs401OnEveryNode() throws Exception {
		String[] headers = signedNow();
		String first = "s-" + shortId();
		String sameMillisecond = "s-" + shortId();
		String replayed = "s-" + shortId();
		String firstBody = message("1", "staff-" + shortId(), "cid-" + shortId(), "first " + shortId(), first,
				Duration.ofMinutes(90));

		assertThat(deliver(cluster.clientUrl(), firstBody, headers).statusCode()).isEqualTo(200);
		assertThat(deliver(secondClientUrl(),
				message("1", "staff-" + shortId(), "cid-" + shortId(), "signed in the same millisecond " + shortId(),
						sameMillisecond, Duration.ofMinutes(90)),
				headers)
			.statusCode()).as("another message within the 2 s replay window").isEqualTo(200);
		Thread.sleep(2500);
		String replay = message("1", "staff-" + shortId(), "cid-" + shortId(), "replayed " + shortId(), replayed,
				Duration.ofMinutes(90));

		assertThat(deliver(secondClientUrl(), replay, headers).statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), replay, headers).statusCode()).isEqualTo(401);
		assertThat(deliver(secondClientUrl(), firstBody, headers).statusCode()).as("a redelivery of the first")
			.isEqualTo(200);
		awaitSessionReplies(first, 1);
		awaitSessionReplies(sameMillisecond, 1);
		assertThat(sessionReplies(replayed)).isEmpty();
		assertThat(redis.exists("cr:{" + SystemCluster.TENANT + "}:replay:dingtalk:" + headers[0])).isTrue();
		assertThat(java.nio.file.Files.readString(secondClient.logFile())).contains("Callback rejected (REPLAYED)");
	}

	@Test
	void aLongAnswerArrivesInOrderedParts() throws Exception {
		String session = "s-" + shortId();

		deliver(cluster.clientUrl(), message("1", "staff-" + shortId(), "cid-" + shortId(), "long-answer " + shortId(),
				session, Duration.ofMinutes(90)), signedNow());

		List<JsonNode> sent = awaitSessionReplies(session, 2);
		List<String> parts = sent.stream().map((reply) -> reply.path("markdown").path("text").asText()).toList();
		assertThat(parts)
			.allSatisfy((part) -> assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(6000));
		assertThat(String.join("", parts)).isEqualTo(LONG_ANSWER);
	}

	@Test
	void theSameCallbackDeliveredThreeTimesAndToTwoNodesAtOnceGetsOneReply() throws Exception {
		String session = "s-" + shortId();
		String body = message("1", "staff-" + shortId(), "cid-" + shortId(), "retried " + shortId(), session,
				Duration.ofMinutes(90));
		String[] headers = signedNow();

		List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
		for (String node : List.of(cluster.clientUrl(), secondClientUrl(), cluster.clientUrl(), secondClientUrl())) {
			deliveries.add(CompletableFuture.supplyAsync(() -> deliverUnchecked(node, body, headers)));
		}
		deliveries.forEach((delivery) -> assertThat(delivery.join().statusCode()).isEqualTo(200));

		awaitSessionReplies(session, 1);
		Thread.sleep(1500);
		assertThat(sessionReplies(session)).hasSize(1);
	}

	@Test
	void badCallbacksAreRejectedAndNothingIsProcessedOrStored() throws Exception {
		int llmCalls = openAi.getAllServeEvents().size();
		int seen = redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:dingtalk:*").size();
		String session = "mallory-" + shortId();
		String body = message("1", "mallory", "cid-m", "forged", session, Duration.ofMinutes(90));
		long stale = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
		String[] forged = { signedNow()[0], DingTalkWebhooks.sign(System.currentTimeMillis() + 1, APP_SECRET) };

		assertThat(deliver(cluster.clientUrl(), body, forged).statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), body, new String[] { "", "" }).statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), body,
				new String[] { String.valueOf(stale), DingTalkWebhooks.sign(stale, APP_SECRET) })
			.statusCode()).isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), body.replace(ROBOT_CODE, "dingotherrobot"), signedNow()).statusCode())
			.as("another robot's message")
			.isEqualTo(401);
		assertThat(deliver(cluster.clientUrl(), "{\"msgId\":", signedNow()).statusCode()).isEqualTo(400);
		assertThat(deliver(cluster.clientUrl(), "{\"pad\":\"" + "x".repeat(65_536) + "\"}", signedNow()).statusCode())
			.as("over DingTalk's 64 KiB body cap")
			.isEqualTo(413);

		Thread.sleep(500);
		assertThat(openAi.getAllServeEvents()).hasSize(llmCalls);
		assertThat(redis.keys("cr:{" + SystemCluster.TENANT + "}:seen:dingtalk:*")).hasSize(seen);
		assertThat(sessionReplies(session)).isEmpty();
		assertThat(java.nio.file.Files.readString(cluster.client().logFile())).contains("Callback rejected (SIGNATURE)")
			.contains("Callback rejected (STALE)")
			.contains("Callback rejected (WRONG_RECEIVER)")
			.doesNotContain(APP_SECRET);
	}

	private static String message(String conversationType, String staffId, String conversationId, String text,
			String session, Duration webhookValidFor) {
		return DingTalkWebhooks.message(conversationType, staffId, conversationId, text,
				dingTalk.baseUrl() + "/robot/sendBySession?session=" + session, webhookValidFor);
	}

	private static String[] signedNow() {
		return DingTalkWebhooks.signedNow();
	}

	private static HttpResponse<String> deliver(String clientUrl, String body, String[] headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(clientUrl + "/callback/dingtalk"))
			.header("Content-Type", "application/json; charset=utf-8")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (!headers[0].isEmpty()) {
			request.header("timestamp", headers[0]).header("sign", headers[1]);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> deliverUnchecked(String clientUrl, String body, String[] headers) {
		try {
			return deliver(clientUrl, body, headers);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String secondClientUrl() {
		return "http://127.0.0.1:" + secondClient.httpPort();
	}

	private static List<JsonNode> awaitSessionReplies(String session, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		List<JsonNode> sent = sessionReplies(session);
		while (sent.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(50);
			sent = sessionReplies(session);
		}
		assertThat(sent).as("replies through session %s", session).hasSize(count);
		return sent;
	}

	/** Replies through one session webhook, in the order DingTalk received them. */
	private static List<JsonNode> sessionReplies(String session) {
		List<LoggedRequest> requests = new ArrayList<>(
				dingTalk.findAll(postRequestedFor(urlPathEqualTo("/robot/sendBySession"))));
		requests.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
		return requests.stream()
			.filter((request) -> request.getUrl().endsWith("session=" + session))
			.map((request) -> SystemCluster.readJson(request.getBodyAsString()))
			.toList();
	}

	private static List<LoggedRequest> awaitApiSends(String path, String field, String addressee, int count)
			throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		List<LoggedRequest> sent = List.of();
		while (System.nanoTime() < deadline) {
			sent = dingTalk.findAll(postRequestedFor(urlPathEqualTo(path)))
				.stream()
				.filter((request) -> SystemCluster.readJson(request.getBodyAsString())
					.path(field)
					.toString()
					.contains(addressee))
				.toList();
			if (sent.size() >= count) {
				break;
			}
			Thread.sleep(50);
		}
		assertThat(sent).as("%s to %s", path, addressee).hasSize(count);
		return sent;
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

}
