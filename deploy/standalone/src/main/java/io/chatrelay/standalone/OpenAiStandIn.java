package io.chatrelay.standalone;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible LLM on 127.0.0.1 for the standalone system, tests and load runs:
 * {@code POST /v1/chat/completions} in OpenAI's exact wire format, JSON or SSE stream.
 *
 * <p>
 * The answer is deterministic so that a person or a test can see the context arrived:
 * {@code You said: <last user message> (turn <number of user messages>)}, streamed one
 * word per chunk. Any non-empty Bearer key is accepted; a missing one gets OpenAI's 401.
 * Each request runs on its own thread, so many slow streams can run at once.
 *
 * <p>
 * Vendor formats are small {@link VendorHandler} subclasses mounted on one server, so a
 * Zhipu or Qianfan endpoint, or failure injection, is added without touching this one.
 */
public final class OpenAiStandIn implements AutoCloseable {

	private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

	private static final Logger log = LoggerFactory.getLogger(OpenAiStandIn.class);

	private static final int BACKLOG = 1024;

	private final HttpServer server;

	private final ExecutorService executor;

	private final AtomicLong requests;

	private final StandInSettings settings;

	private OpenAiStandIn(HttpServer server, ExecutorService executor, AtomicLong requests, StandInSettings settings) {
		this.server = server;
		this.executor = executor;
		this.requests = requests;
		this.settings = settings;
	}

	/**
	 * A builder with a free port and no delays.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start on a free port with no delays.
	 * @return the running stand-in
	 * @throws IOException if the server cannot start
	 */
	public static OpenAiStandIn start() throws IOException {
		return builder().start();
	}

	/**
	 * The base URL for {@code chat.provider.model.openai.base-url}.
	 * @return {@code http://127.0.0.1:<port>/v1}
	 */
	public String baseUrl() {
		return "http://" + Ports.LOOPBACK + ":" + port() + "/v1";
	}

	/**
	 * The port.
	 * @return the port the stand-in listens on
	 */
	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * How many requests arrived so far, rejected ones included.
	 * @return the request count
	 */
	public long requestCount() {
		return this.requests.get();
	}

	/**
	 * The pause before each streamed token.
	 * @return the token delay
	 */
	public Duration tokenDelay() {
		return this.settings.tokenDelay();
	}

	/**
	 * The pause before each response starts.
	 * @return the first-byte latency
	 */
	public Duration firstByteLatency() {
		return this.settings.firstByteLatency();
	}

	/**
	 * Stop at once: open connections close and streams in flight end.
	 */
	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		try {
			if (!this.executor.awaitTermination(5, TimeUnit.SECONDS)) {
				log.warn("OpenAI stand-in threads still running after close");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		log.info("OpenAI stand-in on port {} stopped after {} requests", port(), requestCount());
	}

	/**
	 * Settings for an {@link OpenAiStandIn}.
	 */
	public static final class Builder {

		private int port;

		private Duration tokenDelay = Duration.ZERO;

		private Duration firstByteLatency = Duration.ZERO;

		private Builder() {
		}

		/**
		 * The port to listen on.
		 * @param port the port, or 0 (the default) for a free one
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * The pause before each streamed token (default none).
		 * @param tokenDelay the delay
		 * @return this builder
		 */
		public Builder tokenDelay(Duration tokenDelay) {
			this.tokenDelay = Objects.requireNonNull(tokenDelay, "tokenDelay");
			return this;
		}

		/**
		 * The pause before any response starts (default none).
		 * @param firstByteLatency the latency
		 * @return this builder
		 */
		public Builder firstByteLatency(Duration firstByteLatency) {
			this.firstByteLatency = Objects.requireNonNull(firstByteLatency, "firstByteLatency");
			return this;
		}

		/**
		 * Start serving.
		 * @return the running stand-in
		 * @throws IOException if the port cannot be bound
		 */
		public OpenAiStandIn start() throws IOException {
			StandInSettings settings = new StandInSettings(this.tokenDelay, this.firstByteLatency);
			// The JDK server leaves Nagle on: a response body written after its headers
			// then
			// waits for the caller's delayed ACK (~40 ms on Linux) and the stand-in, not
			// the
			// relay, dominates every measured round trip. Read once, before the first
			// server.
			if (System.getProperty(NODELAY_PROPERTY) == null) {
				System.setProperty(NODELAY_PROPERTY, "true");
			}
			HttpServer server;
			try {
				server = HttpServer.create(new InetSocketAddress(Ports.loopback(), this.port), BACKLOG);
			}
			catch (BindException ex) {
				BindException busy = new BindException("The OpenAI stand-in could not listen on " + Ports.LOOPBACK + ":"
						+ this.port + ": " + ex.getMessage());
				busy.initCause(ex);
				throw busy;
			}
			AtomicLong requests = new AtomicLong();
			ObjectMapper json = new ObjectMapper();
			ExecutorService executor = Executors.newCachedThreadPool(daemonThreads("openai-standin-"));
			mount(server, new OpenAiChatHandler(settings, requests, json));
			server.setExecutor(executor);
			server.start();
			OpenAiStandIn standIn = new OpenAiStandIn(server, executor, requests, settings);
			log.info("OpenAI stand-in listening on {} (token delay {} ms, first-byte latency {} ms)", standIn.baseUrl(),
					this.tokenDelay.toMillis(), this.firstByteLatency.toMillis());
			return standIn;
		}

		private static void mount(HttpServer server, VendorHandler handler) {
			server.createContext(handler.path(), handler);
		}

		private static ThreadFactory daemonThreads(String prefix) {
			AtomicInteger count = new AtomicInteger();
			return (task) -> {
				Thread thread = new Thread(task, prefix + count.incrementAndGet());
				thread.setDaemon(true);
				return thread;
			};
		}

	}

}
