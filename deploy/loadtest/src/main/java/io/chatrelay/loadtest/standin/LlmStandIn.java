package io.chatrelay.loadtest.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chatrelay.loadtest.measure.Threads;
import io.chatrelay.loadtest.traffic.MessageIds;
import io.chatrelay.standalone.infra.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LLM vendor with its own clock: OpenAI's {@code /v1/chat/completions} and Zhipu's
 * {@code /api/paas/v4/chat/completions} (unary JSON and data-only SSE), answering after a
 * latency drawn from a {@link LatencyModel}, streaming tokens at a given rate.
 *
 * <p>
 * It finds the load tool's message id in each request ({@link MessageIds}) and records
 * its own service time for it, from the moment the request reached the handler to the
 * moment the response was complete: the load tool subtracts it from the end-to-end time
 * to get the gateway's overhead. Nothing waits on a thread: the handler reads the request
 * and schedules the answer, so thousands of slow answers cost no threads.
 *
 * <p>
 * Time model: the first token comes after the drawn latency, then one token per
 * {@code 1 / tokenRate} (rate 0: all at once). A unary answer is sent whole when the last
 * token would have been, so both modes take the same time.
 */
public final class LlmStandIn implements AutoCloseable {

	/** OpenAI's path. */
	static final String OPENAI_PATH = "/v1/chat/completions";

	/** Zhipu's path. */
	static final String ZHIPU_PATH = "/api/paas/v4/chat/completions";

	/** The text every answer starts with; the platform stand-in looks for it. */
	public static final String ANSWER_PREFIX = "answer-to ";

	private static final Logger log = LoggerFactory.getLogger(LlmStandIn.class);

	private final HttpServer server;

	private final ExecutorService io;

	private final ScheduledThreadPoolExecutor clock;

	private final AtomicInteger ids = new AtomicInteger();

	private final Map<String, Long> serviceNanos = new ConcurrentHashMap<>();

	private final LongAdder calls = new LongAdder();

	private final Map<String, LongAdder> callsByVendor = new ConcurrentHashMap<>();

	private final AtomicLong inFlight = new AtomicLong();

	private final AtomicLong maxInFlight = new AtomicLong();

	private volatile Pacing pacing;

	private LlmStandIn(HttpServer server, ExecutorService io, ScheduledThreadPoolExecutor clock, Pacing pacing) {
		this.server = server;
		this.io = io;
		this.clock = clock;
		this.pacing = pacing;
	}

	/**
	 * Start on 127.0.0.1.
	 * @param port the port, 0 for a free one
	 * @param pacing the latency and token rate
	 * @return the running stand-in
	 * @throws IOException if the port cannot be bound
	 */
	public static LlmStandIn start(int port, Pacing pacing) throws IOException {
		System.setProperty("sun.net.httpserver.nodelay", "true");
		HttpServer server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, port), 4096);
		ExecutorService io = Executors.newFixedThreadPool(4, Threads.daemon("llm-standin-io"));
		ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(2, Threads.daemon("llm-standin-clock"));
		clock.setRemoveOnCancelPolicy(true);
		LlmStandIn standIn = new LlmStandIn(server, io, clock, pacing);
		server.createContext(OPENAI_PATH, (exchange) -> standIn.handle(exchange, "chatgpt"));
		server.createContext(ZHIPU_PATH, (exchange) -> standIn.handle(exchange, "chatglm"));
		server.setExecutor(io);
		server.start();
		log.info("LLM stand-in on {}:{} ({})", Ports.LOOPBACK, server.getAddress().getPort(), pacing);
		return standIn;
	}

	/**
	 * Change the pacing for the next requests.
	 * @param pacing the new pacing
	 */
	public void pacing(Pacing pacing) {
		this.pacing = pacing;
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	public String pacingText() {
		return this.pacing.toString();
	}

	/**
	 * The OpenAI base URL for the provider.
	 * @return {@code http://127.0.0.1:<port>/v1}
	 */
	public String openAiBaseUrl() {
		return "http://" + Ports.LOOPBACK + ":" + port() + "/v1";
	}

	/**
	 * The Zhipu base URL for the provider.
	 * @return {@code http://127.0.0.1:<port>/api/paas/v4}
	 */
	public String zhipuBaseUrl() {
		return "http://" + Ports.LOOPBACK + ":" + port() + "/api/paas/v4";
	}

	/**
	 * The service time recorded for a message, the last one if it was asked twice.
	 * @param id the message id
	 * @return nanoseconds, or {@code null} if the stand-in never answered it
	 */
	public Long serviceNanos(String id) {
		return this.serviceNanos.get(id);
	}

	/**
	 * All recorded service times.
	 * @return id to nanoseconds (live view)
	 */
	Map<String, Long> serviceTimes() {
		return this.serviceNanos;
	}

	public long calls() {
		return this.calls.sum();
	}

	public long calls(String vendor) {
		LongAdder adder = this.callsByVendor.get(vendor);
		return (adder != null) ? adder.sum() : 0;
	}

	public long maxInFlight() {
		return this.maxInFlight.get();
	}

	/** Forget what was recorded (between runs). */
	public void reset() {
		this.serviceNanos.clear();
		this.calls.reset();
		this.callsByVendor.clear();
		this.maxInFlight.set(this.inFlight.get());
	}

	private void handle(HttpExchange exchange, String vendor) throws IOException {
		long received = System.nanoTime();
		byte[] body = exchange.getRequestBody().readAllBytes();
		if (!"POST".equals(exchange.getRequestMethod())) {
			respond(exchange, 405, "{\"error\":{\"message\":\"POST only\",\"type\":\"invalid_request_error\"}}");
			return;
		}
		String request = new String(body, StandardCharsets.ISO_8859_1);
		String id = MessageIds.lastId(request);
		boolean stream = request.contains("\"stream\":true");
		boolean usageChunk = request.contains("\"include_usage\":true");
		this.calls.increment();
		this.callsByVendor.computeIfAbsent(vendor, (v) -> new LongAdder()).increment();
		this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
		Pacing now = this.pacing;
		long firstToken = now.latency().sampleNanos(ThreadLocalRandom.current());
		Answer answer = new Answer(exchange, vendor, id, received, "cmpl-" + this.ids.incrementAndGet(),
				(id != null) ? ANSWER_PREFIX + MessageIds.marker(id) : ANSWER_PREFIX + "unknown", now, usageChunk);
		if (stream) {
			this.clock.schedule(() -> streamHead(answer), firstToken, TimeUnit.NANOSECONDS);
		}
		else {
			this.clock.schedule(() -> unary(answer), firstToken + now.restNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void unary(Answer answer) {
		this.io.execute(() -> {
			try {
				respond(answer.exchange(), 200, answer.unaryJson());
			}
			catch (IOException | RuntimeException ex) {
				log.debug("Unary answer failed: {}", ex.toString());
			}
			finally {
				done(answer);
			}
		});
	}

	private void streamHead(Answer answer) {
		this.io.execute(() -> {
			try {
				HttpExchange exchange = answer.exchange();
				exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
				exchange.getResponseHeaders().set("Cache-Control", "no-cache");
				exchange.sendResponseHeaders(200, 0);
				write(answer, answer.roleChunk());
				streamToken(answer, 0);
			}
			catch (IOException | RuntimeException ex) {
				abort(answer, ex);
			}
		});
	}

	private void streamToken(Answer answer, int index) {
		try {
			int tokens = answer.pacing().tokens();
			if (index < tokens) {
				write(answer, answer.tokenChunk(index));
				long gap = answer.pacing().gapNanos();
				if (gap == 0) {
					streamToken(answer, index + 1);
				}
				else {
					this.clock.schedule(() -> this.io.execute(() -> streamToken(answer, index + 1)), gap,
							TimeUnit.NANOSECONDS);
				}
				return;
			}
			write(answer, answer.finishChunk());
			if (answer.usageChunk()) {
				write(answer, answer.usageOnlyChunk());
			}
			write(answer, "[DONE]");
			answer.exchange().getResponseBody().close();
			answer.exchange().close();
			done(answer);
		}
		catch (IOException | RuntimeException ex) {
			abort(answer, ex);
		}
	}

	private void abort(Answer answer, Exception ex) {
		log.debug("Stream answer failed: {}", ex.toString());
		answer.exchange().close();
		done(answer);
	}

	private void done(Answer answer) {
		this.inFlight.decrementAndGet();
		if (answer.messageId() != null) {
			this.serviceNanos.put(answer.messageId(), System.nanoTime() - answer.receivedNanos());
		}
	}

	private static void write(Answer answer, String data) throws IOException {
		OutputStream out = answer.exchange().getResponseBody();
		out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static void respond(HttpExchange exchange, int status, String json) throws IOException {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.clock.shutdownNow();
		this.io.shutdownNow();
	}

	/**
	 * How the stand-in paces an answer.
	 *
	 * @param latency time to the first token
	 * @param tokens tokens per answer (at least 1)
	 * @param tokensPerSecond token rate after the first; 0 sends all at once
	 */
	public record Pacing(LatencyModel latency, int tokens, double tokensPerSecond) {

		public Pacing {
			if (tokens < 1 || tokensPerSecond < 0) {
				throw new IllegalArgumentException("Pacing needs at least one token and a rate >= 0");
			}
		}

		long gapNanos() {
			return (this.tokensPerSecond == 0) ? 0 : Math.round(1e9 / this.tokensPerSecond);
		}

		/** From the first token to the last. */
		long restNanos() {
			return gapNanos() * (this.tokens - 1);
		}

		@Override
		public String toString() {
			return this.latency + " to the first token, " + this.tokens + " tokens"
					+ ((this.tokensPerSecond == 0) ? " at once" : " at " + this.tokensPerSecond + "/s");
		}

	}

	/** One answer being paced. */
	private record Answer(HttpExchange exchange, String vendor, String messageId, long receivedNanos,
			String completionId, String text, Pacing pacing, boolean usageChunk) {

		private String model() {
			return "chatgpt".equals(this.vendor) ? "gpt-4o-mini" : "glm-4-flash";
		}

		String unaryJson() {
			return "{\"id\":\"" + this.completionId + "\",\"object\":\"chat.completion\",\"created\":"
					+ (System.currentTimeMillis() / 1000) + ",\"model\":\"" + model() + "\",\"request_id\":\""
					+ this.completionId
					+ "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + this.text
					+ "\"},\"finish_reason\":\"stop\"}],\"usage\":" + usage() + "}";
		}

		String roleChunk() {
			return chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null", false);
		}

		String tokenChunk(int index) {
			String token = (index == 0) ? this.text : " t" + index;
			return chunk("{\"role\":\"assistant\",\"content\":\"" + token + "\"}", "null", false);
		}

		String finishChunk() {
			return chunk("{}", "\"stop\"", !this.usageChunk);
		}

		String usageOnlyChunk() {
			return "{\"id\":\"" + this.completionId + "\",\"object\":\"chat.completion.chunk\",\"created\":"
					+ (System.currentTimeMillis() / 1000) + ",\"model\":\"" + model() + "\",\"choices\":[],\"usage\":"
					+ usage() + "}";
		}

		private String chunk(String delta, String finishReason, boolean withUsage) {
			return "{\"id\":\"" + this.completionId + "\",\"object\":\"chat.completion.chunk\",\"created\":"
					+ (System.currentTimeMillis() / 1000) + ",\"model\":\"" + model() + "\",\"request_id\":\""
					+ this.completionId + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
					+ finishReason + "}]"
					+ (withUsage ? ",\"usage\":" + usage() : (this.usageChunk ? ",\"usage\":null" : "")) + "}";
		}

		private String usage() {
			int completion = this.pacing.tokens() + 3;
			return "{\"prompt_tokens\":12,\"completion_tokens\":" + completion + ",\"total_tokens\":"
					+ (12 + completion) + "}";
		}

	}

}
