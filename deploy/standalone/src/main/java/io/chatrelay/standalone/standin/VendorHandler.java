package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat endpoint of an LLM stand-in. This class does what every vendor shares: the
 * path and method checks, counting, failure injection, the auth check, parsing, the
 * deterministic {@link EchoReply} and the pacing. A subclass knows one vendor's wire
 * format only: its credentials, request fields, response and stream shapes and error
 * bodies.
 *
 * <p>
 * A stream is the vendor's opening events, one event per token, then its closing events.
 * {@link FailureMode#STREAM_CUT} sends the opening and two tokens, then drops the
 * connection: the response declares a {@code Content-Length} it never reaches, so the
 * caller sees an I/O error rather than a clean end of body.
 */
abstract class VendorHandler implements StandInEndpoint {

	/**
	 * How many tokens {@link FailureMode#STREAM_CUT} sends before the connection drops.
	 */
	static final int TOKENS_BEFORE_CUT = 2;

	/** The length a cut response announces and never reaches. */
	private static final long CUT_CONTENT_LENGTH = 1 << 20;

	private static final Logger log = LoggerFactory.getLogger(VendorHandler.class);

	/**
	 * What a vendor turns into its response.
	 *
	 * @param call the request
	 * @param reply the text to send
	 * @param id the response id, the same on every chunk
	 * @param created when the response was created
	 */
	record Answer(ChatCall call, EchoReply reply, String id, Instant created) {

		Answer {
			Objects.requireNonNull(call, "call");
			Objects.requireNonNull(reply, "reply");
			Objects.requireNonNull(id, "id");
			Objects.requireNonNull(created, "created");
		}

	}

	private final String vendor;

	private final String path;

	private final StandInSettings settings;

	private final VendorSwitchboard switchboard;

	private final AtomicLong responseIds = new AtomicLong();

	private final ObjectMapper json;

	VendorHandler(StandInVendor vendor, String path, HandlerContext context) {
		this.vendor = vendor.id();
		this.path = path;
		this.settings = context.settings();
		this.switchboard = context.switchboard();
		this.json = context.json();
	}

	/**
	 * Where the handler is mounted; requests under it that {@link #matches} refuses get a
	 * 404.
	 */
	@Override
	public String path() {
		return this.path;
	}

	ObjectMapper json() {
		return this.json;
	}

	/**
	 * Whether the request path is this endpoint.
	 * @param requestPath the path of the request URI
	 * @return {@code true} to serve, {@code false} for {@link Rejection#NOT_FOUND}
	 */
	boolean matches(String requestPath) {
		return this.path.equals(requestPath);
	}

	/**
	 * Check the credentials the vendor expects.
	 * @param exchange the request (headers and query)
	 * @throws Rejected if the vendor would refuse them
	 */
	abstract void authorize(HttpExchange exchange) throws Rejected;

	/**
	 * Read the vendor's request body.
	 * @param body the parsed JSON
	 * @param requestPath the path of the request URI
	 * @return the vendor-neutral call
	 * @throws IllegalArgumentException with the message for a
	 * {@link Rejection#BAD_REQUEST}
	 */
	abstract ChatCall parse(JsonNode body, String requestPath);

	/**
	 * The whole answer as the vendor sends it for a non-streaming call.
	 * @param answer what to answer
	 * @return the JSON body
	 */
	abstract JsonNode unaryBody(Answer answer);

	/**
	 * Events the vendor sends before the first token (OpenAI: the role delta).
	 * @param answer what to answer
	 * @param sse where events go
	 * @throws IOException if the caller went away
	 */
	void streamOpening(Answer answer, SseWriter sse) throws IOException {
	}

	/**
	 * The event carrying one token.
	 * @param answer what to answer
	 * @param index 0 for the first token
	 * @param token the text of the token
	 * @param sse where events go
	 * @throws IOException if the caller went away
	 */
	abstract void streamToken(Answer answer, int index, String token, SseWriter sse) throws IOException;

	/**
	 * Events that end a complete stream: finish reason, usage, the terminator.
	 * @param answer what to answer
	 * @param sse where events go
	 * @throws IOException if the caller went away
	 */
	abstract void streamClosing(Answer answer, SseWriter sse) throws IOException;

	/**
	 * The vendor's error body.
	 * @param rejected what went wrong, with an optional code and detail
	 * @return the JSON body
	 */
	abstract JsonNode errorBody(Rejected rejected);

	/**
	 * The HTTP status of an error; the rejection's status unless the vendor differs.
	 * @param rejection what went wrong
	 * @return the status
	 */
	int errorStatus(Rejection rejection) {
		return rejection.status();
	}

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

	@Override
	public final void handle(HttpExchange exchange) {
		try (exchange) {
			this.switchboard.count(this.vendor);
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
		String requestPath = exchange.getRequestURI().getPath();
		if (!matches(requestPath)) {
			fail(exchange, Rejection.NOT_FOUND,
					"Invalid URL (" + exchange.getRequestMethod() + " " + requestPath + ")");
			return;
		}
		if (!"POST".equals(exchange.getRequestMethod())) {
			fail(exchange, Rejection.METHOD_NOT_ALLOWED,
					"Invalid method for URL (" + exchange.getRequestMethod() + " " + requestPath + ")");
			return;
		}
		byte[] body = exchange.getRequestBody().readAllBytes();
		InjectedFailure failure = this.switchboard.failure(this.vendor);
		if (failInstead(exchange, failure.mode())) {
			return;
		}
		ChatCall call;
		try {
			authorize(exchange);
			call = parse(this.json.readTree(body), requestPath);
		}
		catch (Rejected ex) {
			fail(exchange, ex);
			return;
		}
		catch (JacksonException ex) {
			fail(exchange, Rejection.MALFORMED_JSON, null);
			return;
		}
		catch (IllegalArgumentException ex) {
			fail(exchange, Rejection.BAD_REQUEST, ex.getMessage());
			return;
		}
		Answer answer = new Answer(call, EchoReply.to(call.turns()), responseId(this.responseIds.incrementAndGet()),
				Instant.now());
		pause(failure.delay());
		pause(this.settings.firstByteLatency());
		addHeaders(exchange.getResponseHeaders(), answer.id());
		boolean cut = failure.mode() == FailureMode.STREAM_CUT;
		if (call.stream()) {
			stream(exchange, answer, cut);
		}
		else if (cut) {
			sendCut(exchange, unaryBody(answer));
		}
		else {
			send(exchange, 200, unaryBody(answer));
		}
	}

	/** Answer an injected error or hang; {@code false} when the request goes on. */
	private boolean failInstead(HttpExchange exchange, FailureMode mode) throws IOException, InterruptedException {
		Rejection rejection = switch (mode) {
			case UNAVAILABLE -> Rejection.UNAVAILABLE;
			case RATE_LIMITED -> Rejection.RATE_LIMITED;
			case SERVER_ERROR -> Rejection.SERVER_ERROR;
			default -> null;
		};
		if (rejection != null) {
			fail(exchange, rejection, null);
			return true;
		}
		if (mode == FailureMode.HANG) {
			log.debug("{}: hanging until the stand-in closes", this.vendor);
			this.switchboard.awaitClose();
			return true;
		}
		return false;
	}

	private void stream(HttpExchange exchange, Answer answer, boolean cut) throws IOException, InterruptedException {
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
		exchange.getResponseHeaders().set("Cache-Control", "no-cache");
		exchange.sendResponseHeaders(200, cut ? CUT_CONTENT_LENGTH : 0);
		SseWriter sse = new SseWriter(exchange.getResponseBody(), this.json);
		streamOpening(answer, sse);
		List<String> tokens = answer.reply().tokens();
		int count = cut ? Math.min(TOKENS_BEFORE_CUT, tokens.size()) : tokens.size();
		for (int i = 0; i < count; i++) {
			pause(this.settings.tokenDelay());
			streamToken(answer, i, tokens.get(i), sse);
		}
		if (cut) {
			log.debug("{}: cutting the stream after {} tokens", this.vendor, count);
			return;
		}
		streamClosing(answer, sse);
	}

	private void fail(HttpExchange exchange, Rejection rejection, String message) throws IOException {
		fail(exchange, new Rejected(rejection, message));
	}

	private void fail(HttpExchange exchange, Rejected rejected) throws IOException {
		if (rejected.rejection() == Rejection.RATE_LIMITED) {
			exchange.getResponseHeaders().set("Retry-After", "1");
		}
		send(exchange, errorStatus(rejected.rejection()), errorBody(rejected));
	}

	/**
	 * The usage object most vendors share.
	 * @param promptTokens prompt tokens
	 * @param completionTokens completion tokens so far
	 * @return {@code {prompt_tokens, completion_tokens, total_tokens}}
	 */
	final ObjectNode usage(int promptTokens, int completionTokens) {
		return this.json.createObjectNode()
			.put("prompt_tokens", promptTokens)
			.put("completion_tokens", completionTokens)
			.put("total_tokens", promptTokens + completionTokens);
	}

	private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
		byte[] bytes = this.json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/**
	 * Half the body, then the connection drops (closing the exchange short of its
	 * length).
	 */
	private void sendCut(HttpExchange exchange, JsonNode body) throws IOException {
		byte[] bytes = this.json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		OutputStream out = exchange.getResponseBody();
		out.write(bytes, 0, bytes.length / 2);
		out.flush();
		log.debug("{}: cutting the response after {} of {} bytes", this.vendor, bytes.length / 2, bytes.length);
	}

	private static void pause(Duration duration) throws InterruptedException {
		if (!duration.isZero()) {
			TimeUnit.NANOSECONDS.sleep(duration.toNanos());
		}
	}

}
