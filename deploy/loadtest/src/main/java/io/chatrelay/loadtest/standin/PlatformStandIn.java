package io.chatrelay.loadtest.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chatrelay.client.dispatch.Apology;
import io.chatrelay.loadtest.measure.MessageBook;
import io.chatrelay.loadtest.measure.Threads;
import io.chatrelay.loadtest.traffic.MessageIds;
import io.chatrelay.standalone.infra.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat platform's side of a reply: DingTalk session webhooks
 * ({@code POST /robot/sendBySession?session=<id>}, answered {@code {"errcode":0}}) and
 * Feishu's Open API (the tenant_access_token, and
 * {@code POST /open-apis/im/v1/messages/om_<id>/reply}, answered {@code {"code":0}}) and
 * WeCom's ({@code gettoken}, and {@code POST /cgi-bin/message/send}, which names no
 * message: the answer's id marker tells which one it answers). Each reply is timestamped
 * on arrival and handed to the {@link MessageBook}, which counts duplicates and tells
 * answers from apologies.
 */
public final class PlatformStandIn implements AutoCloseable {

	/** The DingTalk session-webhook path. */
	static final String DINGTALK_PATH = "/robot/sendBySession";

	/** Feishu's reply API; the message id follows. */
	static final String FEISHU_MESSAGES_PATH = "/open-apis/im/v1/messages/";

	/** Feishu's token API. */
	static final String FEISHU_TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";

	private static final String FEISHU_MESSAGE_PREFIX = "om_";

	/** WeCom's send API. */
	static final String WECOM_SEND_PATH = "/cgi-bin/message/send";

	/** WeCom's token API. */
	static final String WECOM_TOKEN_PATH = "/cgi-bin/gettoken";

	private static final byte[] WECOM_OK = "{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":\"\",\"msgid\":\"m\"}"
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] WECOM_TOKEN = "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"wecom-loadtest\",\"expires_in\":7200}"
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] OK = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

	private static final byte[] FEISHU_OK = "{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_reply\"}}"
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] FEISHU_TOKEN = "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-loadtest\",\"expire\":7200}"
		.getBytes(StandardCharsets.UTF_8);

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
	public static PlatformStandIn start(int port) throws IOException {
		System.setProperty("sun.net.httpserver.nodelay", "true");
		HttpServer server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, port), 4096);
		ExecutorService io = Executors.newFixedThreadPool(4, Threads.daemon("platform-standin"));
		PlatformStandIn standIn = new PlatformStandIn(server, io);
		server.createContext(DINGTALK_PATH, standIn::dingTalk);
		server.createContext(FEISHU_MESSAGES_PATH, standIn::feishuReply);
		server.createContext(FEISHU_TOKEN_PATH, (exchange) -> respond(exchange, FEISHU_TOKEN));
		server.createContext(WECOM_SEND_PATH, standIn::weComSend);
		server.createContext(WECOM_TOKEN_PATH, (exchange) -> respond(exchange, WECOM_TOKEN));
		server.setExecutor(io);
		server.start();
		log.info("Platform stand-in on {}:{}", Ports.LOOPBACK, server.getAddress().getPort());
		return standIn;
	}

	/**
	 * Where replies are recorded from now on.
	 * @param book the run's messages
	 */
	public void record(MessageBook book) {
		this.book = book;
	}

	/**
	 * A message's session webhook.
	 * @param id the message id
	 * @return {@code http://127.0.0.1:<port>/robot/sendBySession?session=<id>}
	 */
	public String sessionWebhook(String id) {
		return "http://" + Ports.LOOPBACK + ":" + port() + DINGTALK_PATH + "?session=" + id;
	}

	/**
	 * Feishu's Open API base URL, for the client.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String baseUrl() {
		return "http://" + Ports.LOOPBACK + ":" + port();
	}

	/**
	 * The Feishu message id of a load-tool message, which the reply's path names.
	 * @param id the message id
	 * @return {@code om_<id>}
	 */
	public static String feishuMessageId(String id) {
		return FEISHU_MESSAGE_PREFIX + id;
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
		record(id, arrived, body);
		respond(exchange, OK);
	}

	private void feishuReply(HttpExchange exchange) throws IOException {
		long arrived = System.nanoTime();
		byte[] body = exchange.getRequestBody().readAllBytes();
		// /open-apis/im/v1/messages/om_<id>/reply
		String path = exchange.getRequestURI().getPath();
		String rest = path.substring(FEISHU_MESSAGES_PATH.length());
		String id = (rest.startsWith(FEISHU_MESSAGE_PREFIX) && rest.endsWith("/reply"))
				? rest.substring(FEISHU_MESSAGE_PREFIX.length(), rest.length() - "/reply".length()) : null;
		record(id, arrived, body);
		respond(exchange, FEISHU_OK);
	}

	private void weComSend(HttpExchange exchange) throws IOException {
		long arrived = System.nanoTime();
		byte[] body = exchange.getRequestBody().readAllBytes();
		// Apologies carry no id: they count as replies to no message (and their message
		// as lost), so WeCom traffic shows errors as lost replies.
		record(MessageIds.lastId(body), arrived, body);
		respond(exchange, WECOM_OK);
	}

	private void record(String id, long arrived, byte[] body) {
		MessageBook current = this.book;
		String text = new String(body, StandardCharsets.UTF_8);
		boolean answer = text.contains(LlmStandIn.ANSWER_PREFIX);
		if (id == null || current == null || !current.replied(id, arrived, answer, !answer && busy(text))) {
			this.unknown.increment();
		}
	}

	/**
	 * Whether a reply is the client's "busy" apology: its inbox was full when the message
	 * arrived, or the message waited longer than {@code max-age}. The text is the
	 * client's own constant, compiled in.
	 * @param reply the reply's body as the platform received it
	 * @return whether it carries {@link Apology#BUSY}
	 */
	static boolean busy(String reply) {
		return reply.contains(Apology.BUSY);
	}

	private static void respond(HttpExchange exchange, byte[] json) throws IOException {
		exchange.getRequestBody().readAllBytes();
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, json.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(json);
		}
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.io.shutdownNow();
	}

}
