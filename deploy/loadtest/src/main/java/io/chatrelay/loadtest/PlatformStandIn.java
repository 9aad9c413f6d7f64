package io.chatrelay.loadtest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chatrelay.standalone.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat platform's side of a reply: DingTalk session webhooks
 * ({@code POST /robot/sendBySession?session=<id>}, answered {@code {"errcode":0}}). Each
 * reply is timestamped on arrival and handed to the {@link MessageBook}, which counts
 * duplicates and tells answers from apologies.
 */
final class PlatformStandIn implements AutoCloseable {

	/** The DingTalk session-webhook path. */
	static final String DINGTALK_PATH = "/robot/sendBySession";

	private static final byte[] OK = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

	private static final Logger log = LoggerFactory.getLogger(PlatformStandIn.class);

	private final HttpServer server;

	private final ExecutorService io;

	private final LongAdder unknown = new LongAdder();

	private volatile MessageBook book;

	private PlatformStandIn(HttpServer server, ExecutorService io) {
		this.server = server;
		this.io = io;
	}

	/**
	 * Start on 127.0.0.1.
	 * @param port the port, 0 for a free one
	 * @return the running stand-in
	 * @throws IOException if the port cannot be bound
	 */
	static PlatformStandIn start(int port) throws IOException {
		System.setProperty("sun.net.httpserver.nodelay", "true");
		HttpServer server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, port), 4096);
		ExecutorService io = Executors.newFixedThreadPool(4, Threads.daemon("platform-standin"));
		PlatformStandIn standIn = new PlatformStandIn(server, io);
		server.createContext(DINGTALK_PATH, standIn::dingTalk);
		server.setExecutor(io);
		server.start();
		log.info("Platform stand-in on {}:{}", Ports.LOOPBACK, server.getAddress().getPort());
		return standIn;
	}

	/**
	 * Where replies are recorded from now on.
	 * @param book the run's messages
	 */
	void record(MessageBook book) {
		this.book = book;
	}

	/**
	 * A message's session webhook.
	 * @param id the message id
	 * @return {@code http://127.0.0.1:<port>/robot/sendBySession?session=<id>}
	 */
	String sessionWebhook(String id) {
		return "http://" + Ports.LOOPBACK + ":" + port() + DINGTALK_PATH + "?session=" + id;
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * Replies for messages no run knows (an earlier run's late replies).
	 * @return the count
	 */
	long unknownReplies() {
		return this.unknown.sum();
	}

	private void dingTalk(HttpExchange exchange) throws IOException {
		long arrived = System.nanoTime();
		byte[] body = exchange.getRequestBody().readAllBytes();
		String query = exchange.getRequestURI().getRawQuery();
		String id = (query != null && query.startsWith("session=")) ? query.substring("session=".length()) : null;
		MessageBook current = this.book;
		boolean answer = new String(body, StandardCharsets.UTF_8).contains(LlmStandIn.ANSWER_PREFIX);
		if (id == null || current == null || !current.replied(id, arrived, answer)) {
			this.unknown.increment();
		}
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, OK.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(OK);
		}
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.io.shutdownNow();
	}

}
