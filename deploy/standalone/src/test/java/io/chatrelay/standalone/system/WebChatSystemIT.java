package io.chatrelay.standalone.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.chatrelay.standalone.infra.RoutingPublisher;
import io.chatrelay.standalone.launcher.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web chat path end to end on real parts: web request → chat-client → Dubbo Triple
 * (found through ZooKeeper) → one of two chat-provider JVMs → "OpenAI" (WireMock) and
 * back, with the context in a real redis-server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebChatSystemIT {

	private static final String ANSWER = "Hello! How can I assist you today?";

	private static final Duration CONTEXT_TTL = Duration.ofSeconds(3);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static WireMockServer openAi;

	private static SystemCluster cluster;

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40));
		openAi.start();
		OpenAiStubs.install(openAi, ANSWER);
		openAi.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions"))
			.atPriority(2)
			.withRequestBody(containing("stream please"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "text/event-stream")
				.withBody(OpenAiStubs.stream("Hel", "lo, ", "wor", "ld!"))));
		cluster = SystemCluster.start("web-chat");
		cluster.startNodes(2, openAi.baseUrl() + "/v1",
				Map.of("chat.provider.model.openai.first-token-timeout", "1500ms",
						"chat.provider.model.openai.total-timeout", "2s",
						// This test is about the web path: one vendor, no retries, no
						// breaker, so each
						// upstream failure reaches the caller as it is
						// (DegradeSwitchSystemIT covers those).
						"chat.provider.routing.fallback", "", "resilience4j.retry.configs.default.max-attempts", "1",
						"resilience4j.circuitbreaker.configs.default.minimum-number-of-calls", "100000"),
				Map.of("chat.client.conversation.ttl", CONTEXT_TTL.toMillis() + "ms",
						// Feishu with a Verification Token but no Encrypt Key: still
						// disabled.
						"chat.client.channel.feishu.app-id", "cli_web_chat_test",
						"chat.client.channel.feishu.app-secret", "feishu-secret-not-real",
						"chat.client.channel.feishu.verification-token", "feishu-token-not-real"));
		cluster.awaitServing(Duration.ofSeconds(60));
	}

	@AfterAll
	static void stopSystem() {
		if (cluster != null) {
			cluster.close();
		}
		if (openAi != null) {
			openAi.stop();
		}
	}

	@Test
	@Order(1)
	void secondTurnCarriesTheFirstTurnAsContextUpstream() throws Exception {
		String conversation = newConversation();

		JsonNode first = chat(conversation, "u1", "what is a relay?" + conversation);
		JsonNode second = chat(conversation, "u1", "and a second question");

		assertThat(first.path("reply").asText()).isEqualTo(ANSWER);
		assertThat(first.path("degraded").asBoolean(true)).isFalse();
		// the model the vendor's stream names (every call is a stream, also for a whole
		// answer)
		assertThat(first.path("model").asText()).isEqualTo("gpt-4o-mini");
		assertThat(second.path("reply").asText()).isEqualTo(ANSWER);
		JsonNode upstream = lastUpstreamBody("and a second question");
		assertThat(upstream.path("messages")).hasSize(3);
		assertThat(message(upstream, 0)).isEqualTo("user:what is a relay?" + conversation);
		assertThat(message(upstream, 1)).isEqualTo("assistant:" + ANSWER);
		assertThat(message(upstream, 2)).isEqualTo("user:and a second question");
	}

	@Test
	@Order(2)
	void conversationsOfDifferentUsersDoNotShareContext() throws Exception {
		String conversation = newConversation();
		chat(conversation, "alice", "alice speaks " + conversation);

		chat(conversation, "bob", "bob speaks " + conversation);

		assertThat(lastUpstreamBody("bob speaks " + conversation).path("messages")).hasSize(1);
	}

	@Test
	@Order(2)
	void userAndConversationIdsThatConcatenateAlikeDoNotShareContext() throws Exception {
		String conversation = newConversation();
		chat(conversation, "alice:" + conversation, "first " + conversation);

		chat(conversation + ":" + conversation, "alice", "second " + conversation);

		assertThat(lastUpstreamBody("second " + conversation).path("messages")).hasSize(1);
	}

	@Test
	@Order(3)
	void contextExpiresAfterTheTtl() throws Exception {
		String conversation = newConversation();
		chat(conversation, "u1", "remember me " + conversation);

		Thread.sleep(CONTEXT_TTL.plusMillis(1500).toMillis());
		chat(conversation, "u1", "after the ttl " + conversation);

		assertThat(lastUpstreamBody("after the ttl " + conversation).path("messages")).hasSize(1);
	}

	@Test
	@Order(4)
	void resetClearsTheContextAndSaysSo() throws Exception {
		String conversation = newConversation();
		chat(conversation, "u1", "before reset " + conversation);
		int upstreamCalls = openAi.getAllServeEvents().size();

		JsonNode reset = chat(conversation, "u1", "/reset");
		JsonNode chinese = chat(conversation, "u1", "清除上下文");
		chat(conversation, "u1", "after reset " + conversation);

		assertThat(reset.path("reply").asText()).contains("cleared");
		assertThat(chinese.path("reply").asText()).contains("上下文已清除");
		assertThat(openAi.getAllServeEvents()).hasSize(upstreamCalls + 1);
		assertThat(lastUpstreamBody("after reset " + conversation).path("messages")).hasSize(1);
	}

	@Test
	@Order(5)
	void streamingDeliversDeltasInOrderThenOneFinalEvent() throws Exception {
		String conversation = newConversation();

		List<String[]> events = stream(conversation, "stream please " + conversation);

		List<String> names = events.stream().map((event) -> event[0]).toList();
		assertThat(names).containsExactly("delta", "delta", "delta", "delta", "done");
		List<String> deltas = events.subList(0, 4)
			.stream()
			.map((event) -> SystemCluster.readJson(event[1]).path("text").asText())
			.toList();
		assertThat(deltas).containsExactly("Hel", "lo, ", "wor", "ld!");
		JsonNode done = SystemCluster.readJson(events.get(4)[1]);
		assertThat(done.path("reply").asText()).isEqualTo("Hello, world!");
		assertThat(done.path("model").asText()).isEqualTo("gpt-4o-mini");
		assertThat(done.path("finishReason").asText()).isEqualTo("stop");
		assertThat(done.path("usage").path("totalTokens").asInt()).isEqualTo(29);
		JsonNode upstream = lastUpstreamBody("stream please " + conversation);
		assertThat(upstream.path("stream").asBoolean()).isTrue();
		assertThat(upstream.path("stream_options").path("include_usage").asBoolean()).isTrue();
		// The streamed answer became context like any other.
		chat(conversation, "u1", "after the stream " + conversation);
		assertThat(message(lastUpstreamBody("after the stream " + conversation), 1))
			.isEqualTo("assistant:Hello, world!");
	}

	@ParameterizedTest(name = "upstream {0} reaches the web caller as {1}")
	@CsvSource({ "trigger-429, 429, RATE_LIMITED", "trigger-500, 502, UNAVAILABLE", "trigger-timeout, 504, TIMEOUT" })
	@Order(6)
	void upstreamFailuresBecomeJsonErrorsWithFittingStatus(String trigger, int status, String code) throws Exception {
		HttpResponse<String> response = post("/api/v1/chat", body(newConversation(), "u1", trigger));

		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode error = SystemCluster.readJson(response.body()).path("error");
		assertThat(error.path("code").asText()).isEqualTo(code);
		assertThat(error.path("message").asText()).isNotBlank();
		assertThat(response.body()).doesNotContain("Exception", "\tat ", "sk-test");
		if (status == 429) {
			assertThat(response.headers().firstValue("retry-after")).hasValue("2");
		}
	}

	@ParameterizedTest(name = "streamed upstream {0} ends the stream with an error event {1}")
	@CsvSource({ "trigger-429, RATE_LIMITED", "trigger-500, UNAVAILABLE", "trigger-timeout, TIMEOUT" })
	@Order(7)
	void upstreamFailuresEndAStreamWithAnErrorEventKeepingTheCode(String trigger, String code) throws Exception {
		List<String[]> events = stream(newConversation(), trigger);

		assertThat(events).hasSize(1);
		assertThat(events.get(0)[0]).isEqualTo("error");
		JsonNode error = SystemCluster.readJson(events.get(0)[1]).path("error");
		assertThat(error.path("code").asText()).isEqualTo(code);
		assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
	}

	/**
	 * Issue 13, item 5: a word list published in the config center reaches both
	 * providers; a listed word in the input, written full-width or spaced out, is
	 * answered CONTENT_FILTERED with the list's message and never reaches the vendor; a
	 * mask word reaches the vendor masked.
	 */
	@Test
	@Order(7)
	void aListedWordInTheInputFullWidthOrSpacedIsFilteredWithoutAVendorCall() throws Exception {
		publishWordLists();
		List<String> variants = List.of("what about ｆｏｒｂｉｄｄｅｎ fruit", "what about f o r-b.i d d e n fruit",
				"FORBIDDEN");

		for (String variant : variants) {
			String marker = newConversation();
			HttpResponse<String> response = post("/api/v1/chat", body(marker, "u1", variant + " " + marker));
			List<String[]> events = stream(newConversation(), variant + " " + marker);

			assertThat(response.statusCode()).as(variant).isEqualTo(422);
			JsonNode error = SystemCluster.readJson(response.body()).path("error");
			assertThat(error.path("code").asText()).isEqualTo("CONTENT_FILTERED");
			assertThat(error.path("message").asText()).isEqualTo(FILTERED_MESSAGE);
			assertThat(events).as(variant).singleElement().satisfies((event) -> {
				assertThat(event[0]).isEqualTo("error");
				assertThat(SystemCluster.readJson(event[1]).path("error").path("code").asText())
					.isEqualTo("CONTENT_FILTERED");
			});
			assertThat(openAi
				.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(marker))))
				.as("vendor calls for " + variant)
				.isEmpty();
		}
		String masked = newConversation();
		chat(masked, "u1", "oh Ｄ-A-R-N " + masked);
		assertThat(message(lastUpstreamBody(masked), 0)).isEqualTo("user:oh ******* " + masked);
	}

	/**
	 * Issue 13, item 5: a listed word that the vendor streams split across two chunks
	 * never reaches the user: a block word ends the stream as filtered before any of it
	 * is sent, a mask word arrives masked.
	 */
	@Test
	@Order(7)
	void aListedWordSplitAcrossTwoStreamChunksNeverReachesTheUser() throws Exception {
		publishWordLists();
		openAi.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions"))
			.atPriority(1)
			.withRequestBody(containing("split-block"))
			.willReturn(sse(OpenAiStubs.stream("The forb", "idden fruit", " is sweet"))));
		openAi.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions"))
			.atPriority(1)
			.withRequestBody(containing("split-mask"))
			.willReturn(sse(OpenAiStubs.stream("oh da", "rn, ", "it rained"))));

		List<String[]> blocked = stream(newConversation(), "split-block please");
		List<String[]> masked = stream(newConversation(), "split-mask please");

		assertThat(blocked).extracting((event) -> event[0]).endsWith("error");
		assertThat(SystemCluster.readJson(blocked.get(blocked.size() - 1)[1]).path("error").path("code").asText())
			.isEqualTo("CONTENT_FILTERED");
		assertThat(deltas(blocked)).isEqualTo("The ");
		assertThat(blocked).allSatisfy((event) -> assertThat(event[1]).doesNotContain("forb", "idden"));
		assertThat(masked).extracting((event) -> event[0]).endsWith("done");
		assertThat(deltas(masked)).isEqualTo("oh ****, it rained");
		assertThat(SystemCluster.readJson(masked.get(masked.size() - 1)[1]).path("reply").asText())
			.isEqualTo("oh ****, it rained");
		assertThat(masked).allSatisfy((event) -> assertThat(event[1]).doesNotContain("darn", "da\""));
	}

	private static final String FILTERED_MESSAGE = "Sorry, I can't talk about that.";

	private static final String WORD_LISTS = """
			lists:
			  - name: banned
			    tenants: [%s]
			    action: block
			    message: "%s"
			    words: [forbidden]
			  - name: rude
			    action: mask
			    words: [darn]
			""".formatted(SystemCluster.TENANT, FILTERED_MESSAGE);

	private static boolean wordListsPublished;

	/** Publish the word lists once and wait until both providers applied them. */
	private static synchronized void publishWordLists() throws Exception {
		if (wordListsPublished) {
			return;
		}
		RoutingPublisher.publish(cluster.zooKeeper().connectString(), "chat-relay-words.yaml", WORD_LISTS);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		for (NodeProcess provider : List.of(cluster.provider(0), cluster.provider(1))) {
			while (!Files.readString(provider.logFile()).contains("Word lists changed (published document)")) {
				assertThat(System.nanoTime()).as("the word lists reached " + provider).isLessThan(deadline);
				Thread.sleep(50);
			}
		}
		wordListsPublished = true;
	}

	private static ResponseDefinitionBuilder sse(String body) {
		return WireMock.aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
	}

	private static String deltas(List<String[]> events) {
		return events.stream()
			.filter((event) -> event[0].equals("delta"))
			.map((event) -> SystemCluster.readJson(event[1]).path("text").asText())
			.reduce("", String::concat);
	}

	@Test
	@Order(8)
	void wrongContentTypeMethodAndPathGetJsonErrors() throws Exception {
		HttpResponse<String> text = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.clientUrl() + "/api/v1/chat"))
			.header("content-type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("hi"))
			.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> get = HTTP.send(
				HttpRequest.newBuilder(URI.create(cluster.clientUrl() + "/api/v1/chat")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> unknown = post("/api/v2/nothing", "{}");

		assertThat(text.statusCode()).isEqualTo(415);
		assertThat(SystemCluster.readJson(text.body()).path("error").path("code").asText())
			.isEqualTo("UNSUPPORTED_MEDIA_TYPE");
		assertThat(get.statusCode()).isEqualTo(405);
		assertThat(SystemCluster.readJson(get.body()).path("error").path("code").asText())
			.isEqualTo("METHOD_NOT_ALLOWED");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(SystemCluster.readJson(unknown.body()).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
	}

	@ParameterizedTest(name = "{0} without credentials answers 404")
	@CsvSource({ "wecom", "wecom-bot", "dingtalk", "feishu" })
	@Order(8)
	void platformChannelsWithoutCredentialsAreDisabledAndTheStartupLogSaysSo(String channel) throws Exception {
		HttpResponse<String> response = post("/callback/" + channel, "{}");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(java.nio.file.Files.readString(cluster.client().logFile()))
			.contains("Channel " + channel + " disabled (/callback/" + channel + " answers 404)");
	}

	@Test
	@Order(8)
	void feishuWithAVerificationTokenButNoEncryptKeyIsDisabledAndTheStartupLogSaysWhy() throws Exception {
		HttpResponse<String> response = post("/callback/feishu",
				"{\"type\":\"url_verification\",\"token\":\"feishu-token-not-real\",\"challenge\":\"c\"}");

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(java.nio.file.Files.readString(cluster.client().logFile()))
			.contains("Channel feishu disabled (/callback/feishu answers 404): "
					+ "not set [encrypt-key (a verification-token alone does not authenticate events)]")
			.doesNotContain("feishu-secret-not-real");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "missing fields|{}|400|is required",
			"empty message|{\"conversationId\":\"c\",\"userId\":\"u\",\"message\":\"\"}|400|must not be empty",
			"invalid JSON|{\"conversationId\":|400|JSON",
			"unknown conversation characters|{\"conversationId\":\"a/../b\",\"userId\":\"u\",\"message\":\"x\"}|400|conversationId" })
	@Order(9)
	void badInputGetsA4xxJsonErrorNamingTheProblem(String name, String body, int status, String named)
			throws Exception {
		HttpResponse<String> response = post("/api/v1/chat", body);

		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(SystemCluster.readJson(response.body()).path("error").path("message").asText()).contains(named);
	}

	@Test
	@Order(10)
	void bodiesOver64KiBAreRejectedWith413() throws Exception {
		String big = body(newConversation(), "u1", "x".repeat(70 * 1024));

		HttpResponse<String> declared = post("/api/v1/chat", big);
		HttpResponse<String> chunked = HTTP
			.send(HttpRequest.newBuilder(URI.create(cluster.clientUrl() + "/api/v1/chat"))
				.header("content-type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(declared.statusCode()).isEqualTo(413);
		assertThat(chunked.statusCode()).isEqualTo(413);
		assertThat(SystemCluster.readJson(chunked.body()).path("error").path("code").asText())
			.isEqualTo("PAYLOAD_TOO_LARGE");
	}

	@Test
	@Order(11)
	void badInputAndUpstreamFailuresLogNothingAtErrorOnTheClient() throws IOException {
		List<String> errors = Files.readAllLines(cluster.client().logFile())
			.stream()
			.filter((line) -> line.contains(" ERROR "))
			.toList();

		assertThat(errors).isEmpty();
	}

	/**
	 * On a machine with 2 CPUs the JDK's common pool has parallelism 1 unless the nodes
	 * set it, and then every HTTP response from a vendor starts a new thread in the
	 * provider (and every platform reply one in the client): found by the load tool.
	 */
	@Test
	@Order(11)
	void answeringDoesNotStartAThreadPerCall() throws Exception {
		long[] before = threads();
		for (int i = 0; i < 40; i++) {
			chat(newConversation(), "u1", "threads " + i);
		}
		long[] after = threads();
		// Pools grow (Dubbo's server pool adds a thread per task up to 200): count only
		// the threads that started and already ended.
		long churned = (after[0] - before[0]) - (after[1] - before[1]);

		assertThat(churned).as("threads the providers started and ended during 40 answers").isLessThan(10);
	}

	/** Started and live threads of both providers. */
	private static long[] threads() throws IOException, InterruptedException {
		long[] threads = new long[2];
		for (NodeProcess provider : List.of(cluster.provider(0), cluster.provider(1))) {
			String metrics = HTTP
				.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + provider.httpPort() + "/actuator/prometheus"))
					.header("Authorization", provider.management().authorization())
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
			threads[0] += metric(metrics, "jvm_threads_started_threads_total");
			threads[1] += metric(metrics, "jvm_threads_live_threads");
		}
		return threads;
	}

	private static long metric(String metrics, String name) {
		return metrics.lines()
			.filter((line) -> line.startsWith(name + " ") || line.startsWith(name + "{"))
			.mapToLong((line) -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " in the provider's metrics"));
	}

	@Test
	@Order(12)
	void stoppingOneProviderMidRunLeavesEveryFollowingRequestAnsweredByTheOther() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong stoppedAt = new AtomicLong(Long.MAX_VALUE);
		List<long[]> results = new ArrayList<>();
		Thread load = new Thread(() -> {
			String conversation = newConversation();
			while (running.get()) {
				long started = System.nanoTime();
				int status;
				try {
					status = post("/api/v1/chat", body(conversation, "u1", "load " + UUID.randomUUID())).statusCode();
				}
				catch (IOException | InterruptedException ex) {
					status = -1;
				}
				synchronized (results) {
					results.add(new long[] { started, status });
				}
			}
		}, "web-load");
		load.start();
		Thread.sleep(1500);

		int exit = cluster.provider(0).stop(Duration.ofSeconds(30));
		stoppedAt.set(System.nanoTime());
		Thread.sleep(3000);
		running.set(false);
		load.join(10_000);

		List<long[]> after;
		List<long[]> during;
		synchronized (results) {
			after = results.stream().filter((r) -> r[0] > stoppedAt.get()).toList();
			during = results.stream().filter((r) -> r[0] <= stoppedAt.get() && r[1] != 200).toList();
		}
		System.getLogger(getClass().getName())
			.log(System.Logger.Level.INFO,
					"provider-1 exit {0}; {1} requests in all, {2} after the stop, {3} failed " + "while it stopped",
					exit, results.size(), after.size(), during.size());
		assertThat(cluster.provider(0).isAlive()).isFalse();
		assertThat(after).hasSizeGreaterThan(10).allSatisfy((r) -> assertThat(r[1]).isEqualTo(200));
	}

	@Test
	@Order(13)
	void aClientAndTheLastProviderStoppedWhileAnsweringFinishTheAnswersAndStreamsBeforeTheyExit() throws Exception {
		openAi.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions"))
			.atPriority(1)
			.withRequestBody(containing("slow-answer"))
			// Streamed over 1.5 s: the first event comes at once (the first-token timeout
			// is 1.5 s), the answer is whole only at the end.
			.willReturn(OpenAiStubs.streamed("worth the wait").withChunkedDribbleDelay(4, 1500)));
		openAi.stubFor(WireMock.post(urlEqualTo("/v1/chat/completions"))
			.atPriority(1)
			.withRequestBody(containing("slow-stream"))
			.willReturn(WireMock.aResponse()
				.withStatus(200)
				.withHeader("Content-Type", "text/event-stream")
				.withBody(OpenAiStubs.stream("still ", "coming ", "through"))
				.withChunkedDribbleDelay(5, 1500)));
		NodeProcess last = cluster.provider(1);
		CompletableFuture<List<String[]>> stream = CompletableFuture.supplyAsync(() -> {
			try {
				return cluster.streamChat(newConversation(), "u1", "slow-stream please");
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() -> {
			try {
				return post("/api/v1/chat", body(newConversation(), "u1", "slow-answer please"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		});
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		for (String slow : List.of("slow-answer", "slow-stream")) {
			while (openAi
				.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(slow)))
				.isEmpty()) {
				assertThat(System.nanoTime()).as(slow + " reached OpenAI").isLessThan(deadline);
				Thread.sleep(20);
			}
		}

		// A rolling restart of everything: both sides get SIGTERM while the answer is
		// being generated.
		CompletableFuture<Integer> clientExit = CompletableFuture
			.supplyAsync(() -> cluster.client().stop(Duration.ofSeconds(30)));
		int providerExit = last.stop(Duration.ofSeconds(30));

		HttpResponse<String> response = call.get(10, TimeUnit.SECONDS);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(SystemCluster.readJson(response.body()).path("reply").asText()).isEqualTo("worth the wait");
		List<String[]> events = stream.get(10, TimeUnit.SECONDS);
		assertThat(events.stream().map((event) -> event[0])).as("a stream in flight ends normally")
			.containsOnly("delta", "done")
			.endsWith("done");
		assertThat(events.stream()
			.filter((event) -> event[0].equals("delta"))
			.map((event) -> SystemCluster.readJson(event[1]).path("text").asText())
			.reduce("", String::concat)).isEqualTo("still coming through");
		assertThat(providerExit).as("provider exit code of a graceful stop").isIn(0, 143);
		assertThat(clientExit.get(30, TimeUnit.SECONDS)).as("client exit code of a graceful stop").isIn(0, 143);
		assertThat(last.isAlive()).isFalse();
		assertThat(cluster.client().isAlive()).isFalse();
	}

	private static String newConversation() {
		return "c-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static JsonNode chat(String conversation, String user, String message)
			throws IOException, InterruptedException {
		HttpResponse<String> response = post("/api/v1/chat", body(conversation, user, message));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return SystemCluster.readJson(response.body());
	}

	private static List<String[]> stream(String conversation, String message) throws Exception {
		return cluster.streamChat(conversation, "u1", message);
	}

	private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.clientUrl() + path))
			.header("content-type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String body(String conversation, String user, String message) {
		return JSON.createObjectNode()
			.put("conversationId", conversation)
			.put("userId", user)
			.put("message", message)
			.toString();
	}

	private static JsonNode lastUpstreamBody(String containing) {
		List<LoggedRequest> requests = openAi
			.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing(containing))
				.withHeader("Authorization", equalTo("Bearer sk-test-not-a-real-key")));
		assertThat(requests).as("upstream requests containing %s", containing).isNotEmpty();
		return SystemCluster.readJson(requests.get(requests.size() - 1).getBodyAsString());
	}

	private static String message(JsonNode body, int index) {
		JsonNode message = body.path("messages").path(index);
		return message.path("role").asText() + ":" + message.path("content").asText();
	}

}
