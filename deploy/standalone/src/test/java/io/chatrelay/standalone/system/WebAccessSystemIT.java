package io.chatrelay.standalone.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.standalone.infra.RoutingPublisher;
import io.chatrelay.standalone.launcher.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Who may call the web API, on real parts: two client nodes without the anonymous mode,
 * employees' tokens from an identity provider (JWKS on WireMock, tokens signed here),
 * tenant API keys in the real Redis, the management port, and quotas published to the
 * real (embedded) ZooKeeper config center and counted across both nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAccessSystemIT {

	private static final String ANSWER = "access granted";

	private static final String ADMIN_KEY = "bootstrap-admin-key-for-tests-0001";

	private static final String QUOTAS = "chat-relay-quotas.yaml";

	/**
	 * The bootstrap key goes in {@code X-API-Key}: it is not in the {@code crk_} format.
	 */
	private static final String ADMIN = "X-API-Key " + ADMIN_KEY;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static WireMockServer openAi;

	private static WireMockServer idpServer;

	private static WireMockServer dingTalk;

	private static IdentityProvider idp;

	private static SystemCluster cluster;

	private static NodeProcess secondClient;

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(60));
		openAi.start();
		OpenAiStubs.install(openAi, ANSWER);
		idpServer = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		idpServer.start();
		idp = IdentityProvider.publishOn(idpServer);
		dingTalk = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		dingTalk.start();
		dingTalk.stubFor(
				post(urlPathEqualTo("/robot/sendBySession")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
		cluster = SystemCluster.start("web-access");
		Map<String, String> client = new java.util.HashMap<>(clientSettings());
		client.put("chat.client.redis.url", aclUser(SystemCluster.TENANT));
		cluster.startNodes(1, openAi.baseUrl() + "/v1", Map.of("chat.provider.routing.fallback", ""), client);
		secondClient = cluster.startClient(client);
		cluster.awaitServing(Duration.ofSeconds(60), bearer(idp.token("warm-up")));
	}

	private static Map<String, String> clientSettings() {
		return Map.of("chat.client.security.anonymous", "false", "chat.client.security.jwt.issuer",
				IdentityProvider.ISSUER, "chat.client.security.jwt.jwk-set-uri", idpServer.baseUrl() + "/jwks",
				"chat.client.security.api-keys.bootstrap-admin-key", ADMIN_KEY, "chat.client.channel.dingtalk.app-key",
				DingTalkWebhooks.APP_KEY, "chat.client.channel.dingtalk.app-secret", DingTalkWebhooks.APP_SECRET,
				"chat.client.channel.dingtalk.robot-code", DingTalkWebhooks.ROBOT_CODE,
				"chat.client.channel.dingtalk.api-base-url", dingTalk.baseUrl(),
				"chat.client.channel.dingtalk.session-webhook-hosts", "localhost",
				"chat.client.channel.dingtalk.session-webhook-http-hosts", "localhost");
	}

	/**
	 * A Redis user that may touch only its tenant's keys, with deploy/redis's rules for
	 * 6.2: any command of a node on another key fails with NOPERM.
	 * @return the node's Redis URL with that user
	 */
	private static String aclUser(String tenant) {
		URI redis = URI.create(cluster.redis().url());
		try (JedisPooled admin = new JedisPooled(redis)) {
			admin.sendCommand(Protocol.Command.ACL, "SETUSER", "tenant-" + tenant, "reset", "on", ">pw-" + tenant,
					"~cr:{" + tenant + "}:*", "resetchannels", "&cr:{" + tenant + "}:*", "+@all", "-@admin",
					"-@dangerous", "+client", "+ping");
		}
		return aclUrl(tenant);
	}

	private static String aclUrl(String tenant) {
		return "redis://tenant-" + tenant + ":pw-" + tenant + "@127.0.0.1:"
				+ URI.create(cluster.redis().url()).getPort();
	}

	@AfterAll
	static void stopSystem() {
		if (cluster != null) {
			cluster.close();
		}
		for (WireMockServer server : new WireMockServer[] { openAi, idpServer, dingTalk }) {
			if (server != null) {
				server.stop();
			}
		}
	}

	@Test
	@Order(1)
	void withoutACredentialTheWebApiAnswers401EvenWithAUserIdInTheBody() throws Exception {
		HttpResponse<String> chat = chat(node1(), null, "c1", "hello");
		HttpResponse<String> stream = send(node1() + "/api/v1/chat/stream", null,
				"{\"conversationId\":\"c1\",\"userId\":\"alice\",\"message\":\"hello\"}");

		assertThat(chat.statusCode()).isEqualTo(401);
		assertThat(chat.headers().firstValue("WWW-Authenticate")).contains("Bearer");
		assertThat(JSON.readTree(chat.body()).at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
		assertThat(stream.statusCode()).isEqualTo(401);
	}

	@Test
	@Order(1)
	void expiredForeignUnsignedAndOtherIssuersTokensAre401() throws Exception {
		for (String token : List.of(idp.expired("alice"), idp.otherIssuer("alice"), idp.unsignedToken("alice"),
				idp.foreignKey("alice"), "not-a-jwt")) {
			assertThat(chat(node1(), bearer(token), "c1", "hello").statusCode()).as(token).isEqualTo(401);
		}
		assertThat(chat(node1(), bearer(idp.token("alice")), "c1", "hello").statusCode()).isEqualTo(200);
	}

	@Test
	@Order(1)
	void bobsTokenCannotContinueAlicesConversationEvenNamingHerInTheBody() throws Exception {
		String conversation = "shared-" + UUID.randomUUID();
		assertThat(chat(node1(), bearer(idp.token("alice")), conversation, "alice secret " + conversation).statusCode())
			.isEqualTo(200);

		HttpResponse<String> bob = send(node2() + "/api/v1/chat", bearer(idp.token("bob")), "{\"conversationId\":\""
				+ conversation + "\",\"userId\":\"alice\",\"message\":\"bob asks " + conversation + "\"}");

		assertThat(bob.statusCode()).isEqualTo(200);
		assertThat(upstream("bob asks " + conversation).path("messages")).hasSize(1);
		assertThat(chat(node2(), bearer(idp.token("alice")), conversation, "alice again " + conversation).statusCode())
			.isEqualTo(200);
		assertThat(upstream("alice again " + conversation).path("messages")).as("alice keeps her context").hasSize(3);
	}

	@Test
	@Order(2)
	void aTenantAdminManagesKeysAndARevocationHoldsOnEveryNodeWithinASecond() throws Exception {
		HttpResponse<String> denied = send(node1() + "/api/v1/admin/keys", bearer(idp.token("mallory")),
				"{\"name\":\"mine\"}");
		assertThat(denied.statusCode()).as("a plain user is no tenant admin").isEqualTo(403);
		HttpResponse<String> escalation = send(node1() + "/api/v1/admin/keys", ADMIN,
				"{\"name\":\"root\",\"roles\":[\"operator\"]}");
		assertThat(escalation.statusCode()).as("a tenant admin cannot mint an operator").isEqualTo(400);

		HttpResponse<String> created = send(node1() + "/api/v1/admin/keys", ADMIN,
				"{\"name\":\"reporting job\",\"validDays\":30}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode issued = JSON.readTree(created.body());
		String key = issued.path("apiKey").asText();
		String id = issued.at("/key/id").asText();
		assertThat(key).startsWith("crk_" + id + ".");

		HttpResponse<String> listed = get(node2() + "/api/v1/admin/keys", ADMIN);
		assertThat(listed.body()).contains(id).contains("reporting job").doesNotContain(key.substring(21));
		assertThat(sendWithKey(node2(), key).statusCode()).as("created on node 1, used on node 2").isEqualTo(200);

		String narrow = JSON
			.readTree(send(node1() + "/api/v1/admin/keys", ADMIN, "{\"name\":\"gpt-4o only\",\"models\":[\"gpt-4o\"]}")
				.body())
			.path("apiKey")
			.asText();
		HttpResponse<String> wrongModel = sendWithKey(node1(), narrow);
		assertThat(wrongModel.statusCode()).as("a key without the web API's model").isEqualTo(403);
		assertThat(wrongModel.body()).contains("may not use model 'default'").contains("gpt-4o");

		HttpResponse<String> revoked = delete(node1() + "/api/v1/admin/keys/" + id, ADMIN);
		assertThat(revoked.statusCode()).isEqualTo(200);
		long start = System.nanoTime();
		int status = 200;
		while (status != 401 && System.nanoTime() - start < Duration.ofSeconds(3).toNanos()) {
			status = sendWithKey(node2(), key).statusCode();
		}
		long millis = (System.nanoTime() - start) / 1_000_000;

		assertThat(status).isEqualTo(401);
		assertThat(millis).as("revoked on every node within a second").isLessThan(1000);
		assertThat(sendWithKey(node1(), key).statusCode()).isEqualTo(401);
	}

	@Test
	@Order(2)
	void metricsAreOnlyOnTheManagementPortAndOnlyWithCredentials() throws Exception {
		NodeProcess client = cluster.client();
		String management = client.management().url();

		assertThat(get(node1() + "/actuator/prometheus", null).statusCode()).isEqualTo(404);
		assertThat(get(node1() + "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(get(management + "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
		assertThat(get(management + "/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(
				get(management + "/actuator/prometheus",
						"Basic " + java.util.Base64.getEncoder()
							.encodeToString("prometheus:wrong".getBytes(StandardCharsets.UTF_8)))
					.statusCode())
			.isEqualTo(401);
		assertThat(get(management + "/actuator/prometheus", bearer(idp.token("alice"))).statusCode())
			.as("a user token is no operator")
			.isEqualTo(403);
		assertThat(SystemCluster.prometheus(client)).contains("jvm_memory_used_bytes");

		// The provider's actuator: probes public, the rest only for its management user.
		NodeProcess provider = cluster.provider(0);
		String actuator = "http://127.0.0.1:" + provider.httpPort();
		assertThat(get(actuator + "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(get(actuator + "/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(get(actuator + "/actuator/tokenusage", null).statusCode()).isEqualTo(401);
		assertThat(get(actuator + "/actuator/tokenusage", client.management().authorization()).statusCode())
			.as("another node's credentials")
			.isEqualTo(401);
		HttpResponse<String> usage = get(actuator + "/actuator/tokenusage?tenant=" + SystemCluster.TENANT,
				provider.management().authorization());
		assertThat(usage.statusCode()).isEqualTo(200);
		assertThat(usage.body()).contains("\"tenant\":\"" + SystemCluster.TENANT + "\"")
			.contains("\"vendor\":\"chatgpt\"");
		assertThat(get(actuator + "/actuator/prometheus", provider.management().authorization()).body())
			.contains("chat_provider_usage_requests_total{");
	}

	@Test
	@Order(3)
	void oneUserIsLimitedExactlyAcrossBothNodes() throws Exception {
		publishQuotas("default: {user: {requests-per-minute: 60}}");
		String run = "quota-run-" + UUID.randomUUID();
		String carol = bearer(idp.token("carol"));
		List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			String node = (i % 2 == 0) ? node1() : node2();
			String conversation = run + "-" + i;
			calls.add(() -> chat(node, carol, conversation, run + " message " + conversation));
		}
		List<HttpResponse<String>> responses = all(calls, 30);

		long answered = responses.stream().filter((response) -> response.statusCode() == 200).count();
		List<HttpResponse<String>> limited = responses.stream()
			.filter((response) -> response.statusCode() == 429)
			.toList();
		assertThat(answered).isEqualTo(60);
		assertThat(limited).hasSize(240);
		assertThat(limited).allSatisfy((response) -> {
			assertThat(response.headers().firstValue("Retry-After")).isPresent();
			assertThat(Integer.parseInt(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
		});
		// Exactly the admitted messages reach the vendor. Compared as sets: the vendor
		// adapter
		// may retry a transient failure, which is a second call for the same message.
		Set<Integer> admitted = new TreeSet<>();
		for (int i = 0; i < responses.size(); i++) {
			if (responses.get(i).statusCode() == 200) {
				admitted.add(i);
			}
		}
		Pattern index = Pattern.compile(Pattern.quote(run) + "-(\\d+)");
		Set<Integer> reachedVendor = new TreeSet<>();
		for (LoggedRequest request : openAi
			.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(run)))) {
			Matcher matcher = index.matcher(request.getBodyAsString());
			assertThat(matcher.find()).as(request.getBodyAsString()).isTrue();
			reachedVendor.add(Integer.parseInt(matcher.group(1)));
		}
		assertThat(reachedVendor).isEqualTo(admitted);
		assertThat(chat(node1(), bearer(idp.token("dan")), run, "another user").statusCode()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void anImUserOverTheLimitGetsExactlyOnePoliteReplyPerWindow() throws Exception {
		publishQuotas("default: {user: {requests-per-minute: 2}}");
		String conversation = "cid-quota-" + UUID.randomUUID();
		String webhook = "http://localhost:" + dingTalk.port() + "/robot/sendBySession?session=" + conversation;
		for (int i = 0; i < 5; i++) {
			String body = DingTalkWebhooks.message("1", "staff-quota", conversation, "hello number " + i, webhook,
					Duration.ofMinutes(30));
			String[] signed = DingTalkWebhooks.signedNow();
			HttpResponse<String> ack = HTTP
				.send(HttpRequest.newBuilder(URI.create(((i % 2 == 0) ? node1() : node2()) + "/callback/dingtalk"))
					.header("content-type", "application/json")
					.header("timestamp", signed[0])
					.header("sign", signed[1])
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(ack.statusCode()).isEqualTo(200);
		}
		List<LoggedRequest> replies = awaitReplies(conversation, 3, Duration.ofSeconds(20));
		Thread.sleep(2000);
		replies = dingTalk.findAll(postRequestedFor(urlPathEqualTo("/robot/sendBySession")).withQueryParam("session",
				com.github.tomakehurst.wiremock.client.WireMock.equalTo(conversation)));

		assertThat(replies).hasSize(3);
		assertThat(replies.stream().filter((reply) -> reply.getBodyAsString().contains(ANSWER))).hasSize(2);
		assertThat(replies.stream().filter((reply) -> reply.getBodyAsString().contains("faster than allowed")))
			.hasSize(1);
	}

	@Test
	@Order(5)
	void aTokenQuotaIsNeverOverrunUnder50ConcurrentRequests() throws Exception {
		long limit = 4000;
		publishQuotas("default: {user: {tokens-per-day: " + limit + "}, max-tokens-per-request: 50}");
		String run = "tokens-" + UUID.randomUUID();
		// Each answer uses 300 tokens: 50 of them unchecked would use 15,000.
		openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
			.withRequestBody(containing(run))
			.willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
				.withBody(OpenAiStubs.stream(ANSWER).replace("\"total_tokens\":29", "\"total_tokens\":300"))));
		String erin = bearer(idp.token("erin"));
		List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			String node = (i % 2 == 0) ? node1() : node2();
			String conversation = run + "-" + i;
			calls.add(() -> chat(node, erin, conversation, conversation));
		}
		List<HttpResponse<String>> responses = all(calls, 50);

		long answered = responses.stream().filter((response) -> response.statusCode() == 200).count();
		int vendorCalls = openAi
			.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(run)))
			.size();
		assertThat(answered).isPositive().isEqualTo(vendorCalls);
		assertThat(responses.stream().filter((response) -> response.statusCode() == 429).count())
			.isEqualTo(50 - answered);
		// Reservations bound the calls that start; settling frees what an answer did not
		// use, so a few more may start later, but the tokens used never exceed the limit.
		assertThat(vendorCalls * 300L).isLessThanOrEqualTo(limit);
		assertThat(
				openAi.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(run))))
			.allSatisfy((request) -> assertThat(request.getBodyAsString()).contains("\"max_tokens\":50"));
		publishQuotas("default: {}");
	}

	@Test
	@Order(6)
	void twoTenantsOnOneRedisAndOneProviderPoolSeeNothingOfEachOther() throws Exception {
		publishQuotas("tenants: {it: {user: {requests-per-minute: 1}}}");
		Map<String, String> settings = new java.util.HashMap<>(clientSettings());
		settings.put("chat.client.tenant-id", "other");
		settings.put("chat.client.redis.url", aclUser("other"));
		NodeProcess other = cluster.startClient(settings);
		String nodeB = "http://127.0.0.1:" + other.httpPort();
		String conversation = "same-ids-" + UUID.randomUUID();
		String alice = bearer(idp.token("alice-" + conversation));

		assertThat(chat(node1(), alice, conversation, "tenant it says " + conversation).statusCode()).isEqualTo(200);
		assertThat(chat(nodeB, alice, conversation, "tenant other says " + conversation).statusCode()).isEqualTo(200);
		assertThat(upstream("tenant other says " + conversation).path("messages")).as("no context of the other tenant")
			.hasSize(1);

		assertThat(chat(node1(), alice, conversation, "over the limit").statusCode()).isEqualTo(429);
		assertThat(chat(nodeB, alice, conversation, "not limited " + conversation).statusCode())
			.as("the limit of tenant it is not tenant other's")
			.isEqualTo(200);

		String key = JSON.readTree(send(node1() + "/api/v1/admin/keys", ADMIN, "{\"name\":\"tenant it only\"}").body())
			.path("apiKey")
			.asText();
		assertThat(sendWithKey(nodeB, key).statusCode()).as("tenant it's key on tenant other's node").isEqualTo(401);
		assertThat(get(nodeB + "/api/v1/admin/keys", ADMIN).body()).doesNotContain(key.substring(4, 20));

		String webhook = "http://localhost:" + dingTalk.port() + "/robot/sendBySession?session=" + conversation;
		String message = DingTalkWebhooks.message("1", "staff-both", "cid-" + conversation, "both tenants", webhook,
				Duration.ofMinutes(30));
		for (String node : List.of(node1(), nodeB)) {
			String[] signed = DingTalkWebhooks.signedNow();
			assertThat(HTTP
				.send(HttpRequest.newBuilder(URI.create(node + "/callback/dingtalk"))
					.header("content-type", "application/json")
					.header("timestamp", signed[0])
					.header("sign", signed[1])
					.POST(HttpRequest.BodyPublishers.ofString(message))
					.build(), HttpResponse.BodyHandlers.ofString())
				.statusCode()).isEqualTo(200);
		}
		assertThat(awaitReplies(conversation, 2, Duration.ofSeconds(20)))
			.as("the same msgId is new to each tenant: each answers once")
			.hasSize(2);

		for (NodeProcess node : List.of(cluster.client(), secondClient, other)) {
			assertThat(Files.readString(node.logFile(), StandardCharsets.UTF_8))
				.as(node + " never touched a key of another tenant")
				.doesNotContain("NOPERM");
		}
		try (JedisPooled asOther = new JedisPooled(URI.create(aclUrl("other")))) {
			assertThat(asOther.exists("cr:{other}:inbox")).isTrue();
			assertThat(catchThrowable(() -> asOther.exists("cr:{it}:inbox"))).hasMessageContaining("NOPERM");
		}
		publishQuotas("default: {}");
	}

	private static void publishQuotas(String yaml) throws Exception {
		List<NodeProcess> nodes = List.of(cluster.client(), secondClient);
		Map<NodeProcess, Long> before = new java.util.HashMap<>();
		for (NodeProcess node : nodes) {
			before.put(node, count(node));
		}
		RoutingPublisher.publish(cluster.zooKeeper().connectString(), QUOTAS, yaml);
		// Both nodes log each applied document; wait until each has applied this one.
		for (NodeProcess node : nodes) {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (count(node) == before.get(node) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(count(node)).as("quota document applied on " + node).isGreaterThan(before.get(node));
		}
	}

	private static long count(NodeProcess node) throws Exception {
		return Files.readAllLines(node.logFile(), StandardCharsets.UTF_8)
			.stream()
			.filter((line) -> line.contains("Quotas applied") || line.contains("Quotas off"))
			.count();
	}

	private static List<LoggedRequest> awaitReplies(String conversation, int count, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<LoggedRequest> replies = List.of();
		while (System.nanoTime() < deadline) {
			replies = dingTalk.findAll(postRequestedFor(urlPathEqualTo("/robot/sendBySession"))
				.withQueryParam("session", com.github.tomakehurst.wiremock.client.WireMock.equalTo(conversation)));
			if (replies.size() >= count) {
				return replies;
			}
			Thread.sleep(100);
		}
		return replies;
	}

	private static <T> List<T> all(List<Callable<T>> calls, int threads) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<T> results = new ArrayList<>();
			for (Future<T> future : pool.invokeAll(calls)) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static JsonNode upstream(String marker) throws Exception {
		List<LoggedRequest> requests = openAi
			.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(marker)));
		assertThat(requests).as("upstream calls with " + marker).hasSize(1);
		return JSON.readTree(requests.get(0).getBodyAsString());
	}

	private static HttpResponse<String> chat(String node, String authorization, String conversation, String message)
			throws Exception {
		return send(node + "/api/v1/chat", authorization,
				JSON.createObjectNode().put("conversationId", conversation).put("message", message).toString());
	}

	private static HttpResponse<String> sendWithKey(String node, String key) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(node + "/api/v1/chat"))
			.header("content-type", "application/json")
			.header("X-API-Key", key)
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{\"conversationId\":\"k\",\"message\":\"from a key\"}"))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(String url, String authorization, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("content-type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		credential(request, authorization);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(String url, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
		credential(request, authorization);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> delete(String url, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).DELETE();
		credential(request, authorization);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** An {@code Authorization} value, or {@code X-API-Key <key>} for that header. */
	private static void credential(HttpRequest.Builder request, String credential) {
		if (credential == null) {
			return;
		}
		if (credential.startsWith("X-API-Key ")) {
			request.header("X-API-Key", credential.substring("X-API-Key ".length()));
		}
		else {
			request.header("Authorization", credential);
		}
	}

	private static String bearer(String token) {
		return "Bearer " + token;
	}

	private static String node1() {
		return cluster.clientUrl();
	}

	private static String node2() {
		return "http://127.0.0.1:" + secondClient.httpPort();
	}

}
