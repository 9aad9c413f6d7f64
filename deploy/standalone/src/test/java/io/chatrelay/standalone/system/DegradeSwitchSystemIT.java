package io.chatrelay.standalone.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.chatrelay.standalone.infra.RoutingPublisher;
import io.chatrelay.standalone.launcher.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' degrade switch and automatic fallback on a running cluster of two
 * provider JVMs: the routing document is published to the real (embedded) ZooKeeper
 * config center, and every vendor is a WireMock speaking its wire format.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DegradeSwitchSystemIT {

	private static final System.Logger log = System.getLogger(DegradeSwitchSystemIT.class.getName());

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Concurrent web callers per round in the outage tests. */
	private static final int CALLERS = 4;

	private static final ExecutorService CALLER_POOL = Executors.newFixedThreadPool(CALLERS);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String NORMAL = "primary: chatgpt\nfallback: [chatglm, ernie]\ndegrade:\n  enabled: false\n"
			+ "  target: chatglm\n";

	private static final String DEGRADED = "primary: chatgpt\nfallback: [chatglm, ernie]\ndegrade:\n  enabled: true\n"
			+ "  target: chatglm\n";

	private static WireMockServer openAi;

	private static WireMockServer zhipu;

	private static WireMockServer ernie;

	private static SystemCluster cluster;

	/** OpenAI answering 503 to everything, from the outage test to the recovery test. */
	private static StubMapping openAiDown;

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = start();
		OpenAiStubs.install(openAi, "from openai");
		zhipu = start();
		// Every call is a stream (the provider collects whole answers from streams).
		zhipu.stubFor(post(urlEqualTo("/api/paas/v4/chat/completions")).atPriority(5)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "text/event-stream")
				.withBody(zhipuStream("土星", "主要由", "氢组成"))));
		ernie = start();
		ernie.stubFor(post(urlEqualTo("/v2/chat/completions")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody(ernieStream("from ", "ernie"))));
		cluster = SystemCluster.start("degrade-switch");
		cluster.startNodes(2, openAi.baseUrl() + "/v1", Map.of("chat.provider.model.zhipu.base-url",
				zhipu.baseUrl() + "/api/paas/v4", "chat.provider.model.zhipu.api-key", "plain-zhipu-key",
				"chat.provider.model.ernie.api-version", "v2", "chat.provider.model.ernie.base-url",
				ernie.baseUrl() + "/v2", "chat.provider.model.ernie.api-key", "bce-v3/ALTAK-test/secret",
				"chat.provider.resilience.initial-backoff", "100ms", "chat.provider.model.openai.first-token-timeout",
				"1s", "chat.provider.model.openai.total-timeout", "2s",
				"resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state", "2s"), Map.of());
		cluster.awaitServing(Duration.ofSeconds(60));
	}

	private static WireMockServer start() {
		WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		server.start();
		return server;
	}

	@AfterAll
	static void stopSystem() {
		CALLER_POOL.shutdownNow();
		if (cluster != null) {
			cluster.close();
		}
		for (WireMockServer server : new WireMockServer[] { openAi, zhipu, ernie }) {
			if (server != null) {
				server.stop();
			}
		}
	}

	@Test
	@Order(1)
	void degradeFlipsChangeTheAnsweringVendorOnBothProvidersWithinASecond() throws Exception {
		assertThat(answerers(6)).containsOnly("chatgpt/primary");
		List<Long> propagationMillis = new ArrayList<>();

		for (int flip = 1; flip <= 20; flip++) {
			boolean degraded = flip % 2 == 1;
			long published = System.nanoTime();
			RoutingPublisher.publish(cluster.zooKeeper().connectString(), degraded ? DEGRADED : NORMAL);
			for (int provider = 0; provider < 2; provider++) {
				ProviderMetrics.awaitDegraded(cluster.provider(provider), degraded ? 1 : 0, Duration.ofSeconds(5));
				propagationMillis.add((System.nanoTime() - published) / 1_000_000);
			}
			assertThat(answerers(4)).containsOnly(degraded ? "chatglm/degraded" : "chatgpt/primary");
		}

		List<Long> sorted = propagationMillis.stream().sorted().toList();
		log.log(System.Logger.Level.INFO, "Degrade propagation over 20 flips x 2 providers: p50 {0} ms, max {1} ms",
				sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
		assertThat(sorted.get(sorted.size() - 1)).isLessThan(1000);
	}

	@Test
	@Order(2)
	void anInvalidDocumentIsRejectedAndThePreviousRoutingStays() throws Exception {
		RoutingPublisher.publish(cluster.zooKeeper().connectString(), DEGRADED);
		ProviderMetrics.awaitDegraded(cluster.provider(0), 1, Duration.ofSeconds(5));
		ProviderMetrics.awaitDegraded(cluster.provider(1), 1, Duration.ofSeconds(5));

		for (String invalid : List.of("primary: [chatgpt", "degrade: {enabled: false, target: llama}",
				"fallback: []")) {
			RoutingPublisher.publish(cluster.zooKeeper().connectString(), invalid);
		}
		Thread.sleep(1000);

		assertThat(ProviderMetrics.degraded(cluster.provider(0))).isEqualTo(1);
		assertThat(ProviderMetrics.degraded(cluster.provider(1))).isEqualTo(1);
		assertThat(answerers(4)).containsOnly("chatglm/degraded");
		assertThat(java.nio.file.Files.readString(cluster.provider(0).logFile()))
			.contains("Rejected routing document: not valid YAML")
			.contains("unknown vendor 'llama'")
			.contains("at least one vendor");
		RoutingPublisher.publish(cluster.zooKeeper().connectString(), NORMAL);
		ProviderMetrics.awaitDegraded(cluster.provider(0), 0, Duration.ofSeconds(5));
		ProviderMetrics.awaitDegraded(cluster.provider(1), 0, Duration.ofSeconds(5));
	}

	@Test
	@Order(3)
	void fallsBackWhenOpenAiTimesOut() throws Exception {
		StubMapping slow = openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(0)
			.willReturn(OpenAiStubs.streamed("too late").withFixedDelay(3000)));
		try {
			assertThat(answerer()).isEqualTo("chatglm/fallback");
		}
		finally {
			openAi.removeStub(slow);
		}
	}

	@Test
	@Order(4)
	void fallsBackWhenOpenAiRateLimitsPastTheRetryBudget() throws Exception {
		StubMapping limited = openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(0)
			.willReturn(aResponse().withStatus(429)
				.withHeader("Content-Type", "application/json")
				.withHeader("Retry-After", "1")
				.withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,"
						+ "\"code\":\"rate_limit_exceeded\"}}")));
		try {
			int before = openAi.getAllServeEvents().size();
			long started = System.nanoTime();
			assertThat(answerer()).isEqualTo("chatglm/fallback");
			long tookMillis = (System.nanoTime() - started) / 1_000_000;
			// three attempts at OpenAI, the waits honouring Retry-After: 1 s, then the
			// fallback
			assertThat(openAi.getAllServeEvents().size() - before).isEqualTo(3);
			assertThat(tookMillis).isGreaterThanOrEqualTo(2000);
		}
		finally {
			openAi.removeStub(limited);
		}
	}

	@Test
	@Order(5)
	void whenOpenAiGoesDownEveryAnswerComesFromTheFallback() throws Exception {
		openAiDown = openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(0)
			.willReturn(aResponse().withStatus(503)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,"
						+ "\"code\":null}}")));
		long down = System.nanoTime();
		Long firstFallbackMillis = null;
		Long fastFallbackMillis = null;
		// Rounds of concurrent callers. Which provider answers is the load balancer's
		// choice (shortest response, calls in flight): it prefers the provider whose open
		// breaker makes it fast, so the other one may never see enough failures to open.
		// The claim is therefore per round: once a breaker is open, answers come from the
		// fallback quickly and without touching OpenAI.
		for (int i = 0; i < 40 && fastFallbackMillis == null; i++) {
			int openAiCalls = openAi.getAllServeEvents().size();
			long started = System.nanoTime();
			List<String> round = answerersAtOnce(CALLERS);
			long took = (System.nanoTime() - started) / 1_000_000;
			assertThat(round).containsOnly("chatglm/fallback");
			if (firstFallbackMillis == null) {
				firstFallbackMillis = (System.nanoTime() - down) / 1_000_000;
			}
			if (took < 100 && openAi.getAllServeEvents().size() == openAiCalls
					&& (breakerOpen(cluster.provider(0)) || breakerOpen(cluster.provider(1)))) {
				fastFallbackMillis = (System.nanoTime() - down) / 1_000_000;
			}
		}
		log.log(System.Logger.Level.INFO,
				"OpenAI down: first fallback answer after {0} ms; a breaker open and {1} concurrent answers from the "
						+ "fallback without touching OpenAI after {2} ms",
				firstFallbackMillis, CALLERS, fastFallbackMillis);
		assertThat(fastFallbackMillis).as("a breaker opened and answers stopped touching OpenAI").isNotNull();
		assertThat(answerersAtOnce(CALLERS)).containsOnly("chatglm/fallback");
	}

	@Test
	@Order(6)
	void whenOpenAiComesBackTheBreakersHalfOpenAndThePrimaryAnswersAgain() throws Exception {
		assertThat(breakerOpen(cluster.provider(0)) || breakerOpen(cluster.provider(1))).as("a breaker open").isTrue();
		openAi.removeStub(openAiDown);
		long back = System.nanoTime();
		long deadline = back + Duration.ofSeconds(20).toNanos();
		while (!(breakerClosed(cluster.provider(0)) && breakerClosed(cluster.provider(1)))) {
			assertThat(System.nanoTime()).as("both breakers closed again within 20 s").isLessThan(deadline);
			assertThat(answerersAtOnce(CALLERS)).isSubsetOf("chatglm/fallback", "chatgpt/primary");
			Thread.sleep(50);
		}
		long recoveredMillis = (System.nanoTime() - back) / 1_000_000;
		log.log(System.Logger.Level.INFO,
				"OpenAI back: both chatgpt breakers closed (open -> half-open -> closed) after {0} ms",
				recoveredMillis);
		assertThat(answerers(6)).containsOnly("chatgpt/primary");
	}

	@Test
	@Order(7)
	void aStreamFailingBeforeItsFirstTokenIsAnsweredByTheFallback() throws Exception {
		StubMapping failing = openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(0)
			.withRequestBody(containing("\"stream\":true"))
			.willReturn(aResponse().withStatus(503)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,"
						+ "\"code\":null}}")));
		try {
			List<String[]> events = cluster.streamChat("c-" + UUID.randomUUID(), "u1", "stream, whoever can");

			assertThat(events.stream().map((event) -> event[0])).containsOnly("delta", "done").endsWith("done");
			assertThat(events.stream()
				.filter((event) -> event[0].equals("delta"))
				.map((event) -> SystemCluster.readJson(event[1]).path("text").asText())
				.reduce("", String::concat)).isEqualTo("土星主要由氢组成");
			JsonNode done = JSON.readTree(events.get(events.size() - 1)[1]);
			assertThat(done.path("vendor").asText() + "/" + done.path("route").asText()).isEqualTo("chatglm/fallback");
		}
		finally {
			openAi.removeStub(failing);
		}
	}

	@Test
	@Order(8)
	void aStreamFailingAfterItsFirstTokenEndsWithAnErrorEventAndNoFallback() throws Exception {
		String cut = OpenAiStubs.brokenStream("The answer ", "starts and");
		StubMapping breaking = openAi.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(0)
			.withRequestBody(containing("\"stream\":true"))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(cut)));
		int zhipuCalls = zhipu.getAllServeEvents().size();
		try {
			List<String[]> events = cluster.streamChat("c-" + UUID.randomUUID(), "u1", "stream and break");

			assertThat(events.stream().map((event) -> event[0])).containsExactly("delta", "delta", "error");
			JsonNode error = JSON.readTree(events.get(2)[1]).path("error");
			assertThat(error.path("code").asText()).isEqualTo("UNAVAILABLE");
			assertThat(error.path("message").asText()).contains("broke off");
			assertThat(zhipu.getAllServeEvents()).as("no fallback after the first token").hasSize(zhipuCalls);
		}
		finally {
			openAi.removeStub(breaking);
		}
	}

	private static String zhipuStream(String... deltas) {
		String head = "{\"id\":\"8313807536837492492\",\"created\":1706092316,\"model\":\"glm-4-flash\",";
		StringBuilder sse = new StringBuilder();
		for (String delta : deltas) {
			sse.append("data: ")
				.append(head)
				.append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"")
				.append(delta)
				.append("\"}}]}\n\n");
		}
		sse.append("data: ")
			.append(head)
			.append("\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"delta\":{\"role\":\"assistant\","
					+ "\"content\":\"\"}}],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":4,\"total_tokens\":10}}\n\n");
		sse.append("data: [DONE]\n\n");
		return sse.toString();
	}

	/** Qianfan v2's stream (OpenAI's shape with ERNIE's ids and model). */
	private static String ernieStream(String... deltas) {
		String head = "{\"id\":\"as-1\",\"object\":\"chat.completion.chunk\",\"created\":1709716601,"
				+ "\"model\":\"ernie-speed-128k\",";
		StringBuilder sse = new StringBuilder();
		for (String delta : deltas) {
			sse.append("data: ")
				.append(head)
				.append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
				.append(delta)
				.append("\"},\"finish_reason\":null}]}\n\n");
		}
		sse.append("data: ")
			.append(head)
			.append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
					+ "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n\n");
		sse.append("data: [DONE]\n\n");
		return sse.toString();
	}

	private static Set<String> answerers(int requests) throws Exception {
		Set<String> answerers = new HashSet<>();
		for (int i = 0; i < requests; i++) {
			answerers.add(answerer());
		}
		return answerers;
	}

	/**
	 * One round of {@code callers} web chats sent at once; the answerers in any order.
	 */
	private static List<String> answerersAtOnce(int callers) {
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			calls.add(CompletableFuture.supplyAsync(() -> {
				try {
					return answerer();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}, CALLER_POOL));
		}
		return calls.stream().map(CompletableFuture::join).toList();
	}

	private static String answerer() throws IOException, InterruptedException {
		String body = JSON.createObjectNode()
			.put("conversationId", "c-" + UUID.randomUUID().toString().substring(0, 8))
			.put("userId", "u1")
			.put("message", "who answers?")
			.toString();
		HttpResponse<String> response = HTTP
			.send(HttpRequest.newBuilder(URI.create(cluster.clientUrl() + "/api/v1/chat"))
				.header("content-type", "application/json")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode reply = JSON.readTree(response.body());
		return reply.path("vendor").asText() + "/" + reply.path("route").asText();
	}

	private static boolean breakerOpen(NodeProcess provider) throws IOException, InterruptedException {
		return chatGptBreaker(provider, " 1.0");
	}

	private static boolean breakerClosed(NodeProcess provider) throws IOException, InterruptedException {
		return chatGptBreaker(provider, " 0.0");
	}

	private static boolean chatGptBreaker(NodeProcess provider, String state) throws IOException, InterruptedException {
		return ProviderMetrics.prometheus(provider)
			.lines()
			.anyMatch((line) -> line.startsWith("chat_provider_breaker_state{") && line.contains("vendor=\"chatgpt\"")
					&& line.endsWith(state));
	}

}
