package io.chatrelay.standalone;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat endpoint of an LLM stand-in. This class does what every vendor shares: one
 * exact path, POST only, counting, the auth check, parsing, the deterministic
 * {@link EchoReply} and the pacing. A subclass knows one vendor's wire format only: its
 * auth header, request fields, response and stream shapes and error body. Failure
 * injection (answer 503, hang) belongs here, once for every vendor.
 */
abstract class VendorHandler implements HttpHandler {

	private static final Logger log = LoggerFactory.getLogger(VendorHandler.class);

	/** Failures a stand-in answers with; the vendor decides the body. */
	enum Failure {

		BAD_REQUEST(400), UNAUTHORIZED(401), NOT_FOUND(404), METHOD_NOT_ALLOWED(405);

		private final int status;

		Failure(int status) {
			this.status = status;
		}

		int status() {
			return this.status;
		}

	}

	private final String path;

	private final StandInSettings settings;

	private final AtomicLong requests;

	private final AtomicLong responseIds = new AtomicLong();

	private final ObjectMapper json;

	VendorHandler(String path, StandInSettings settings, AtomicLong requests, ObjectMapper json) {
		this.path = path;
		this.settings = settings;
		this.requests = requests;
		this.json = json;
	}

	String path() {
		return this.path;
	}

	ObjectMapper json() {
		return this.json;
	}

	/**
	 * Whether the request carries credentials the vendor would accept.
	 * @param headers the request headers
	 * @return {@code true} to answer, {@code false} for {@link Failure#UNAUTHORIZED}
	 */
	abstract boolean authorized(Headers headers);

	/**
	 * Read the vendor's request body.
	 * @param body the parsed JSON
	 * @return the vendor-neutral call
	 * @throws IllegalArgumentException with the message for a {@link Failure#BAD_REQUEST}
	 */
	abstract ChatCall parse(JsonNode body);

	/**
	 * The whole answer as the vendor sends it for a non-streaming call.
	 * @param call the request
	 * @param reply the text to send
	 * @param id the response id
	 * @param created when the response was created
	 * @return the JSON body
	 */
	abstract JsonNode unaryBody(ChatCall call, EchoReply reply, String id, Instant created);

	/**
	 * Write the answer as the vendor streams it; call {@link #pauseBeforeToken()} before
	 * each token.
	 * @param call the request
	 * @param reply the text to send
	 * @param id the response id, the same on every chunk
	 * @param created when the response was created
	 * @param sse where events go
	 * @throws IOException if the caller went away
	 * @throws InterruptedException if the stand-in is closing
	 */
	abstract void stream(ChatCall call, EchoReply reply, String id, Instant created, SseWriter sse)
			throws IOException, InterruptedException;

	/**
	 * The vendor's error body.
	 * @param failure what went wrong
	 * @param message a human-readable detail
	 * @return the JSON body
	 */
	abstract JsonNode errorBody(Failure failure, String message);

	/**
	 * The id of a new response, in the vendor's style.
	 * @param sequence 1, 2, 3 ... per endpoint
	 * @return the id
	 */
	abstract String responseId(long sequence);

	/**
	 * Add vendor-specific response headers (request ids, rate-limit headers).
	 * @param headers the response headers
	 * @param id the response id
	 */
	void addHeaders(Headers headers, String id) {
	}

	final void pauseBeforeToken() throws InterruptedException {
		pause(this.settings.tokenDelay());
	}

	@Override
	public final void handle(HttpExchange exchange) {
		try (exchange) {
			this.requests.incrementAndGet();
			serve(exchange);
		}
		catch (IOException ex) {
			log.debug("{} {}: the caller went away ({})", exchange.getRequestMethod(), this.path, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void serve(HttpExchange exchange) throws IOException, InterruptedException {
		if (!this.path.equals(exchange.getRequestURI().getPath())) {
			fail(exchange, Failure.NOT_FOUND,
					"Invalid URL (" + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + ")");
			return;
		}
		if (!"POST".equals(exchange.getRequestMethod())) {
			fail(exchange, Failure.METHOD_NOT_ALLOWED,
					"Invalid method for URL (" + exchange.getRequestMethod() + " " + this.path + ")");
			return;
		}
		if (!authorized(exchange.getRequestHeaders())) {
			fail(exchange, Failure.UNAUTHORIZED, "");
			return;
		}
		ChatCall call;
		try {
			call = parse(this.json.readTree(exchange.getRequestBody()));
		}
		catch (JacksonException ex) {
			fail(exchange, Failure.BAD_REQUEST, "We could not parse the JSON body of your request.");
			return;
		}
		catch (IllegalArgumentException ex) {
			fail(exchange, Failure.BAD_REQUEST, ex.getMessage());
			return;
		}
		EchoReply reply = EchoReply.to(call.turns());
		String id = responseId(this.responseIds.incrementAndGet());
		Instant created = Instant.now();
		pause(this.settings.firstByteLatency());
		addHeaders(exchange.getResponseHeaders(), id);
		if (call.stream()) {
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
			exchange.getResponseHeaders().set("Cache-Control", "no-cache");
			exchange.sendResponseHeaders(200, 0);
			stream(call, reply, id, created, new SseWriter(exchange.getResponseBody(), this.json));
		}
		else {
			send(exchange, 200, unaryBody(call, reply, id, created));
		}
	}

	private void fail(HttpExchange exchange, Failure failure, String message) throws IOException {
		send(exchange, failure.status(), errorBody(failure, message));
	}

	private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
		byte[] bytes = this.json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void pause(Duration duration) throws InterruptedException {
		if (!duration.isZero()) {
			TimeUnit.NANOSECONDS.sleep(duration.toNanos());
		}
	}

}
