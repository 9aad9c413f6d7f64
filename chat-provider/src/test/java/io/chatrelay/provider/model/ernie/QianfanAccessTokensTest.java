package io.chatrelay.provider.model.ernie;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.RecordingStreamListener;
import io.chatrelay.provider.model.ernie.ErnieProperties.ApiVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.chatrelay.provider.model.ernie.ErnieStubs.json;
import static org.assertj.core.api.Assertions.assertThat;

class QianfanAccessTokensTest {

	private static final String ACCESS_KEY = "qianfan-api-key";

	private static final String SECRET_KEY = "qianfan-secret-key-0123456789";

	private static final String TOKEN_A = "24.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.2592000.1700000000.282335-1";

	private static final String TOKEN_B = "24.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.2592000.1700000000.282335-2";

	private static final ModelRequest REQUEST = new ModelRequest(
			List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hello!")), null, null, null, null);

	private final HttpClient httpClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

	private WireMockServer wireMock;

	@BeforeEach
	void startWireMock() {
		this.wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		this.wireMock.start();
	}

	@AfterEach
	void stopWireMock() {
		this.wireMock.stop();
	}

	@Test
	void fetchesOnceFor32ConcurrentCallers() throws Exception {
		stubToken(json(ErnieStubs.tokenBody(TOKEN_A)).withFixedDelay(300));
		QianfanAccessTokens tokens = tokens();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(32);
		List<CompletableFuture<String>> results = new ArrayList<>();
		try {
			List<java.util.concurrent.Future<CompletableFuture<String>>> submitted = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				submitted.add(pool.submit(() -> {
					start.await();
					return tokens.get();
				}));
			}
			start.countDown();
			for (java.util.concurrent.Future<CompletableFuture<String>> future : submitted) {
				results.add(future.get(5, TimeUnit.SECONDS));
			}
		}
		finally {
			pool.shutdownNow();
		}

		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
		assertThat(results).allSatisfy((result) -> assertThat(result.join()).isEqualTo(TOKEN_A));
		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));
	}

	@Test
	void sendsTheClientCredentialsGrantInTheQuery() {
		stubToken(json(ErnieStubs.tokenBody(TOKEN_A)));

		assertThat(tokens().get().join()).isEqualTo(TOKEN_A);

		this.wireMock.verify(postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH))
			.withQueryParam("grant_type", equalTo("client_credentials"))
			.withQueryParam("client_id", equalTo(ACCESS_KEY))
			.withQueryParam("client_secret", equalTo(SECRET_KEY)));
	}

	@Test
	void cachesTheTokenForLaterCallsUntilShortlyBeforeExpiry() {
		stubToken(json(ErnieStubs.tokenBody(TOKEN_A)));
		QianfanAccessTokens tokens = tokens();

		tokens.get().join();
		this.clock.advance(Duration.ofDays(29));
		assertThat(tokens.get().join()).isEqualTo(TOKEN_A);
		this.wireMock.verify(1, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));

		// expires_in 2592000 s = 30 days; renewed within the last hour
		this.clock.advance(Duration.ofHours(23).plusMinutes(1));
		assertThat(tokens.get().join()).isEqualTo(TOKEN_A);
		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));
	}

	@Test
	void refreshMarginIsATenthOfTheLifetimeAtMostAnHour() {
		assertThat(QianfanAccessTokens.refreshMargin(Duration.ofDays(30))).isEqualTo(Duration.ofHours(1));
		assertThat(QianfanAccessTokens.refreshMargin(Duration.ofSeconds(7200))).isEqualTo(Duration.ofSeconds(720));
	}

	@Test
	void invalidatesOnlyTheRejectedTokenSoManyReportsCauseOneRefetch() {
		stubTokensAThenB();
		QianfanAccessTokens tokens = tokens();
		String rejected = tokens.get().join();

		tokens.invalidate(rejected);
		String renewed = tokens.get().join();
		tokens.invalidate(rejected);
		tokens.invalidate(rejected);

		assertThat(renewed).isEqualTo(TOKEN_B);
		assertThat(tokens.get().join()).isEqualTo(TOKEN_B);
		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));
	}

	@ParameterizedTest(name = "HTTP {0}")
	@ValueSource(ints = { 200, 400, 401 })
	void invalidClientIsUnauthorizedAndNothingIsCached(int status) {
		stubToken(json(ErnieStubs.tokenErrorBody()).withStatus(status));
		QianfanAccessTokens tokens = tokens();

		ChatException error = failure(tokens.get());
		tokens.get().handle((token, failure) -> null).join();

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(error.getMessage()).contains("invalid_client").doesNotContain(SECRET_KEY);
		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));
	}

	@Test
	void failedFetchIsRetriedByTheNextCaller() {
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH)).inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json("{}").withStatus(503))
			.willSetStateTo("up"));
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH)).inScenario("flaky")
			.whenScenarioStateIs("up")
			.willReturn(json(ErnieStubs.tokenBody(TOKEN_A))));
		QianfanAccessTokens tokens = tokens();

		assertThat(failure(tokens.get()).code()).isEqualTo(ChatErrorCode.UNAVAILABLE);
		assertThat(tokens.get().join()).isEqualTo(TOKEN_A);
	}

	@Test
	void invalidClientFailsTheChatWithUnauthorizedWithoutSendingIt() {
		stubToken(json(ErnieStubs.tokenErrorBody()).withStatus(401));
		RecordingStreamListener listener = new RecordingStreamListener();

		ChatException callError = failure(model().call(REQUEST));
		model().stream(REQUEST, listener);

		assertThat(callError.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5));
		assertThat(((ChatException) listener.terminal.join()).code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		this.wireMock.verify(0, postRequestedFor(urlPathMatching("/rpc/.*")));
	}

	@Test
	void refreshesOn111AndResendsTheChatExactlyOnce() {
		stubTokensAThenB();
		stubChat(TOKEN_A, json(ErnieStubs.v1Error(111, "Access token expired")));
		stubChat(TOKEN_B, json(ErnieStubs.v1Answer("fresh answer")));

		ModelResponse response = model().call(REQUEST).join();

		assertThat(response.text()).isEqualTo("fresh answer");
		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));
		this.wireMock.verify(1, chatWith(TOKEN_A));
		this.wireMock.verify(1, chatWith(TOKEN_B));
	}

	@Test
	void refreshesOn110InAStreamAndResendsOnce() {
		stubTokensAThenB();
		stubChat(TOKEN_A, json(ErnieStubs.v1Error(110, "Access token invalid or no longer valid")));
		stubChat(TOKEN_B, ErnieStubs.sse(ErnieStubs.v1Stream(List.of("Hel", "lo"))));
		RecordingStreamListener listener = new RecordingStreamListener();

		model().stream(REQUEST, listener);

		assertThat(listener.terminal).succeedsWithin(Duration.ofSeconds(5))
			.isInstanceOf(RecordingStreamListener.Completion.class);
		assertThat(listener.deltas).containsExactly("Hel", "lo");
		this.wireMock.verify(1, chatWith(TOKEN_A));
		this.wireMock.verify(1, chatWith(TOKEN_B));
	}

	@Test
	void givesUpWithUnauthorizedWhenTheRefreshedTokenIsRejectedToo() {
		stubTokensAThenB();
		stubChat(TOKEN_A, json(ErnieStubs.v1Error(111, "Access token expired")));
		stubChat(TOKEN_B, json(ErnieStubs.v1Error(110, "Access token invalid or no longer valid")));

		ChatException error = failure(model().call(REQUEST));

		assertThat(error.code()).isEqualTo(ChatErrorCode.UNAUTHORIZED);
		assertThat(error.getMessage()).startsWith("ERNIE v1 error 110");
		this.wireMock.verify(2, postRequestedFor(urlPathMatching("/rpc/.*")));
		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));
	}

	@Test
	void concurrentCallsShareOneTokenFetchAndOneRefresh() {
		stubTokensAThenB();
		stubChat(TOKEN_A, json(ErnieStubs.v1Error(111, "Access token expired")).withFixedDelay(500));
		stubChat(TOKEN_B, json(ErnieStubs.v1Answer("ok")));
		ErnieChatModel model = model();

		List<CompletableFuture<ModelResponse>> calls = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			calls.add(model.call(REQUEST));
		}

		assertThat(calls).allSatisfy((call) -> assertThat(call.join().text()).isEqualTo("ok"));
		this.wireMock.verify(2, postRequestedFor(urlPathEqualTo(ErnieStubs.TOKEN_PATH)));
		this.wireMock.verify(32, chatWith(TOKEN_A));
		this.wireMock.verify(32, chatWith(TOKEN_B));
		assertThat(this.wireMock.findAll(anyRequestedFor(urlPathMatching("/rpc/.*")))).hasSize(64);
	}

	private void stubTokensAThenB() {
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH)).inScenario("tokens")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json(ErnieStubs.tokenBody(TOKEN_A)))
			.willSetStateTo("second"));
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH)).inScenario("tokens")
			.whenScenarioStateIs("second")
			.willReturn(json(ErnieStubs.tokenBody(TOKEN_B))));
	}

	private void stubToken(ResponseDefinitionBuilder response) {
		this.wireMock.stubFor(post(urlPathEqualTo(ErnieStubs.TOKEN_PATH)).willReturn(response));
	}

	private void stubChat(String token, ResponseDefinitionBuilder response) {
		this.wireMock
			.stubFor(post(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH)).withQueryParam("access_token", equalTo(token))
				.willReturn(response));
	}

	private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder chatWith(String token) {
		return postRequestedFor(urlPathEqualTo(ErnieStubs.V1_CHAT_PATH)).withQueryParam("access_token", equalTo(token));
	}

	private QianfanAccessTokens tokens() {
		ErnieErrorMapper errors = new ErnieErrorMapper("ERNIE v1", List.of(ACCESS_KEY, SECRET_KEY), this.clock);
		return new QianfanAccessTokens(this.httpClient, this.wireMock.baseUrl(), ACCESS_KEY, SECRET_KEY,
				Duration.ofSeconds(5), errors, this.clock);
	}

	private ErnieChatModel model() {
		String base = this.wireMock.baseUrl();
		return new ErnieChatModel(new ErnieProperties(ApiVersion.V1, base, null, null, base, ACCESS_KEY, SECRET_KEY,
				null, Duration.ofSeconds(5), Duration.ofSeconds(10)), this.httpClient, this.clock);
	}

	private static ChatException failure(CompletableFuture<?> future) {
		assertThat(future).failsWithin(Duration.ofSeconds(10));
		return (ChatException) future
			.handle((value, failure) -> io.chatrelay.provider.model.http.TransportFailures.unwrap(failure))
			.join();
	}

	/** A clock the test moves forward. */
	private static final class MutableClock extends Clock {

		private final AtomicReference<Instant> now;

		MutableClock(Instant start) {
			this.now = new AtomicReference<>(start);
		}

		void advance(Duration duration) {
			this.now.updateAndGet((instant) -> instant.plus(duration));
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

	}

}
