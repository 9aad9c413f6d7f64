package io.chatrelay.client.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the outbound platform tests share: a loopback WireMock, an HTTP/1.1 client, a
 * clock the test moves, the protocol vectors and a way to read a failed call.
 */
public final class OutboundTestSupport {

	private static final ObjectMapper JSON = new ObjectMapper();

	private OutboundTestSupport() {
	}

	/**
	 * A started WireMock on a free port of 127.0.0.1.
	 * @return the server; stop it after the test
	 */
	public static WireMockServer startWireMock() {
		WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		server.start();
		return server;
	}

	/**
	 * A client like production's, on HTTP/1.1 (WireMock speaks no h2c).
	 * @return the client
	 */
	public static HttpClient httpClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	/**
	 * A JSON answer.
	 * @param body the JSON
	 * @return the stub's response
	 */
	public static ResponseDefinitionBuilder json(String body) {
		return aResponse().withHeader("Content-Type", "application/json").withBody(body);
	}

	/**
	 * Read a JSON text.
	 * @param json the text
	 * @return its tree
	 */
	public static JsonNode parse(String json) {
		try {
			return JSON.readTree(json);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Load a protocol vector file copied into {@code src/test/resources/vectors}.
	 * @param name e.g. {@code dingtalk.json}
	 * @return its tree
	 */
	public static JsonNode vector(String name) {
		try (InputStream in = OutboundTestSupport.class.getResourceAsStream("/vectors/" + name)) {
			if (in == null) {
				throw new IllegalStateException("Missing test vector " + name);
			}
			return JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Wait for a call to fail and return its failure.
	 * @param future the call
	 * @return the {@link PlatformApiException} it failed with
	 */
	public static PlatformApiException failure(CompletableFuture<?> future) {
		assertThat(future).failsWithin(Duration.ofSeconds(10));
		Throwable failure = future.handle((value, error) -> PlatformExchange.unwrap(error)).join();
		assertThat(failure).isInstanceOf(PlatformApiException.class);
		return (PlatformApiException) failure;
	}

	/** A clock the test moves forward. */
	public static final class MutableClock extends Clock {

		private final AtomicReference<Instant> now;

		/**
		 * Create a clock.
		 * @param start its first instant
		 */
		public MutableClock(Instant start) {
			this.now = new AtomicReference<>(start);
		}

		/**
		 * Move the clock.
		 * @param duration how far
		 */
		public void advance(Duration duration) {
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
