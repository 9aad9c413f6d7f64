package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chatrelay.standalone.infra.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server behind a {@link VendorStandIn}: the endpoints of every
 * {@link StandInVendor} and the control surface mounted on one port, and a JSON 404
 * naming them for any other path. Each exchange runs on its own daemon thread. The caller
 * turns Nagle off first ({@code sun.net.httpserver.nodelay}, see
 * {@link VendorStandIn.Builder#start()}).
 */
final class StandInServer {

	private static final int BACKLOG = 1024;

	private static final Logger log = LoggerFactory.getLogger(StandInServer.class);

	private final HttpServer server;

	private final ExecutorService executor;

	private StandInServer(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Bind and start.
	 * @param port the port, or 0 for a free one
	 * @param settings the pacing
	 * @param switchboard failures and counts
	 * @param tokens the Qianfan v1 tokens
	 * @return the running server
	 * @throws IOException if the port cannot be bound
	 */
	static StandInServer start(int port, StandInSettings settings, VendorSwitchboard switchboard, QianfanTokens tokens)
			throws IOException {
		ExecutorService executor = executor();
		try {
			return new StandInServer(bind(port, settings, switchboard, tokens, executor), executor);
		}
		catch (IOException | RuntimeException ex) {
			executor.shutdownNow();
			throw ex;
		}
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	/** Stop at once: connections close and every exchange thread is interrupted. */
	void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		try {
			if (!this.executor.awaitTermination(5, TimeUnit.SECONDS)) {
				log.warn("LLM stand-in threads still running after close");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static HttpServer bind(int port, StandInSettings settings, VendorSwitchboard switchboard,
			QianfanTokens tokens, ExecutorService executor) throws IOException {
		HttpServer server;
		try {
			server = HttpServer.create(new InetSocketAddress(Ports.loopback(), port), BACKLOG);
		}
		catch (BindException ex) {
			BindException busy = new BindException(
					"The LLM stand-in could not listen on " + Ports.LOOPBACK + ":" + port + ": " + ex.getMessage());
			busy.initCause(ex);
			throw busy;
		}
		ObjectMapper json = new ObjectMapper();
		HandlerContext context = new HandlerContext(settings, switchboard, json, tokens);
		List<String> shownPaths = new ArrayList<>();
		for (StandInVendor vendor : StandInVendor.values()) {
			for (StandInEndpoint endpoint : vendor.endpoints(context)) {
				server.createContext(endpoint.path(), endpoint);
				shownPaths.add(endpoint.shownPath());
			}
		}
		server.createContext(FailureControlHandler.PATH, new FailureControlHandler(switchboard, tokens, json));
		String hint = "try POST " + String.join(", ", shownPaths) + ", or GET " + FailureControlHandler.FAILURES;
		server.createContext("/", (exchange) -> notFound(exchange, hint));
		server.setExecutor(executor);
		server.start();
		return server;
	}

	/**
	 * An executor for the exchanges: unbounded, so slow streams and hanging requests
	 * never queue behind each other.
	 */
	private static ExecutorService executor() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "llm-standin-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return Executors.newCachedThreadPool(threads);
	}

	private static void notFound(HttpExchange exchange, String hint) throws IOException {
		try (exchange) {
			exchange.getRequestBody().readAllBytes();
			byte[] body = ("{\"error\":\"No stand-in endpoint at " + exchange.getRequestURI().getPath() + "; " + hint
					+ "\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(404, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

}
