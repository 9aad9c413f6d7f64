package io.chatrelay.loadtest.frontdoor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectionStorm} against real sockets on loopback: a server that answers, a port
 * nobody listens on, and a listener that never accepts.
 */
class ConnectionStormTest {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	@Test
	void everyConnectionIsNewAndAnsweredOnce() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 128);
		AtomicInteger requests = new AtomicInteger();
		server.createContext("/probe", (exchange) -> {
			requests.incrementAndGet();
			byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try {
			ConnectionStorm storm = new ConnectionStorm(server.getAddress(), "/probe", Duration.ofSeconds(2),
					Duration.ofSeconds(2));
			FrontDoorStep step = storm.run(100, Duration.ofSeconds(1));

			assertThat(step.offered()).isEqualTo(100);
			assertThat(step.connected()).isEqualTo(100);
			assertThat(step.answered()).isEqualTo(100);
			assertThat(step.statuses()).isEqualTo(Map.of(200, 100L));
			assertThat(step.clean()).isTrue();
			assertThat(requests.get()).isEqualTo(100);
			assertThat(step.connect().count()).isEqualTo(100);
			assertThat(step.response().p50Ms()).isGreaterThanOrEqualTo(step.connect().p50Ms());
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void aPortNobodyListensOnCountsAsConnectFailures() throws IOException {
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, LOOPBACK)) {
			port = free.getLocalPort();
		}
		ConnectionStorm storm = new ConnectionStorm(new InetSocketAddress(LOOPBACK, port), "/", Duration.ofSeconds(1),
				Duration.ofSeconds(1));
		FrontDoorStep step = storm.run(50, Duration.ofSeconds(1));

		assertThat(step.offered()).isEqualTo(50);
		assertThat(step.connectFailures()).isEqualTo(50);
		assertThat(step.connected()).isZero();
		assertThat(step.clean()).isFalse();
	}

	@Test
	void aFullAcceptQueueShowsAsConnectTimeoutsAndSilenceAsResponseTimeouts() throws IOException {
		// Backlog 1 and never accept: the kernel completes a handshake or two, then drops
		// the SYNs until the client gives up.
		try (ServerSocket deaf = new ServerSocket(0, 1, LOOPBACK)) {
			ConnectionStorm storm = new ConnectionStorm(new InetSocketAddress(LOOPBACK, deaf.getLocalPort()), "/",
					Duration.ofMillis(500), Duration.ofMillis(500));
			FrontDoorStep step = storm.run(40, Duration.ofSeconds(1));

			assertThat(step.offered()).isEqualTo(40);
			assertThat(step.connectTimeouts()).isGreaterThan(30);
			assertThat(step.connected()).isEqualTo(step.responseTimeouts());
			assertThat(step.connected() + step.connectTimeouts() + step.connectFailures()).isEqualTo(40);
			assertThat(step.answered()).isZero();
		}
	}

}
