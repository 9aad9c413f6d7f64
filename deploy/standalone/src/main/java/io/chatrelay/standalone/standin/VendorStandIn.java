package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import io.chatrelay.standalone.infra.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM vendor stand-in of the standalone system and its tests: OpenAI, Zhipu GLM and
 * Baidu Qianfan (v1 and v2) on one port of 127.0.0.1, each under its own path and in its
 * exact wire format, JSON or SSE stream. (The load tool has its own, simpler stand-in,
 * {@code io.chatrelay.loadtest}'s {@code LlmStandIn}, which keeps time for its reports.)
 *
 * The vendors and their paths are listed in {@link StandInVendor}; the control surface is
 * {@code /_standin/failures} ({@link #failuresUrl()}).
 *
 * <p>
 * The answer is deterministic so that a person or a test can see the context arrived:
 * {@code You said: <last user message> (turn <number of user messages>)}, streamed one
 * word per chunk. Credentials are checked for presence and shape only. Each request runs
 * on its own thread, so many slow streams, and hanging requests, do not block others.
 * Each vendor can be told to fail ({@link FailureMode}) from the builder or at run time.
 */
public final class VendorStandIn implements AutoCloseable {

	/** The vendor name of OpenAI ({@link StandInVendor#OPENAI}). */
	public static final String OPENAI = StandInVendor.OPENAI.id();

	/** The vendor name of Zhipu GLM ({@link StandInVendor#ZHIPU}). */
	public static final String ZHIPU = StandInVendor.ZHIPU.id();

	/**
	 * The vendor name of Baidu Qianfan (ERNIE), v1 and v2
	 * ({@link StandInVendor#QIANFAN}).
	 */
	public static final String QIANFAN = StandInVendor.QIANFAN.id();

	/** Every vendor served, in {@link StandInVendor} order. */
	public static final List<String> VENDORS = StandInVendor.ids();

	/**
	 * Where failures are listed ({@code GET}) and switched ({@code POST
	 * /_standin/failures/<vendor>}), on the stand-in's port.
	 */
	public static final String FAILURES_PATH = FailureControlHandler.FAILURES;

	/** The pause of {@link FailureMode#SLOW} unless one is given. */
	public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(5);

	private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

	private static final Logger log = LoggerFactory.getLogger(VendorStandIn.class);

	private final StandInServer server;

	private final VendorSwitchboard switchboard;

	private final QianfanTokens tokens;

	private final StandInSettings settings;

	private final AtomicBoolean closed = new AtomicBoolean();

	private VendorStandIn(StandInServer server, VendorSwitchboard switchboard, QianfanTokens tokens,
			StandInSettings settings) {
		this.server = server;
		this.switchboard = switchboard;
		this.tokens = tokens;
		this.settings = settings;
	}

	/**
	 * A builder with a free port, no delays and no failures.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start on a free port with no delays and no failures.
	 * @return the running stand-in
	 * @throws IOException if the server cannot start
	 */
	public static VendorStandIn start() throws IOException {
		return builder().start();
	}

	/**
	 * The base URL for {@code chat.provider.model.openai.base-url}.
	 * @return {@code http://127.0.0.1:<port>/v1}
	 */
	public String baseUrl() {
		return root() + "/v1";
	}

	/**
	 * The base URL for {@code chat.provider.model.zhipu.base-url}.
	 * @return {@code http://127.0.0.1:<port>/api/paas/v4}
	 */
	public String zhipuBaseUrl() {
		return root() + "/api/paas/v4";
	}

	/**
	 * The base URL for {@code chat.provider.model.ernie.base-url} with
	 * {@code api-version=v2}.
	 * @return {@code http://127.0.0.1:<port>/v2}
	 */
	public String qianfanV2BaseUrl() {
		return root() + "/v2";
	}

	/**
	 * The base URL for {@code chat.provider.model.ernie.base-url} and
	 * {@code auth-base-url} with {@code api-version=v1}.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String qianfanV1BaseUrl() {
		return root();
	}

	/**
	 * Where failures are listed ({@code GET}) and, with {@code /<vendor>?mode=…},
	 * switched ({@code POST}).
	 * @return {@code http://127.0.0.1:<port>/_standin/failures}
	 */
	public String failuresUrl() {
		return root() + FailureControlHandler.FAILURES;
	}

	/**
	 * The port.
	 * @return the port the stand-in listens on
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * How many requests reached any vendor so far, rejected and failed ones included
	 * (control requests are not counted).
	 * @return the request count
	 */
	public long requestCount() {
		return this.switchboard.totalRequests();
	}

	/**
	 * How many requests reached one vendor so far, rejected and failed ones included; for
	 * {@code qianfan} that is v1 token and chat requests and v2 requests.
	 * @param vendor {@link #OPENAI}, {@link #ZHIPU} or {@link #QIANFAN}
	 * @return the request count
	 * @throws IllegalArgumentException for an unknown vendor
	 */
	public long requestCount(String vendor) {
		return this.switchboard.requests(vendor);
	}

	/**
	 * The failure a vendor produces now.
	 * @param vendor {@link #OPENAI}, {@link #ZHIPU} or {@link #QIANFAN}
	 * @return the failure, {@link InjectedFailure#NONE} when healthy
	 */
	public InjectedFailure failure(String vendor) {
		return this.switchboard.failure(vendor);
	}

	/**
	 * Make a vendor fail from its next request on (requests in flight are not affected).
	 * @param vendor {@link #OPENAI}, {@link #ZHIPU} or {@link #QIANFAN}
	 * @param failure the failure, or {@link InjectedFailure#NONE} to heal it
	 */
	public void injectFailure(String vendor, InjectedFailure failure) {
		this.switchboard.set(vendor, Objects.requireNonNull(failure, "failure"));
		log.info("Stand-in: {} now answers with failure mode {}", vendor, failure.mode().wireName());
	}

	/**
	 * Make a vendor fail; {@link FailureMode#SLOW} waits {@link #DEFAULT_SLOW_DELAY} or
	 * the builder's slow delay.
	 * @param vendor {@link #OPENAI}, {@link #ZHIPU} or {@link #QIANFAN}
	 * @param mode the failure, or {@link FailureMode#NONE} to heal it
	 */
	public void injectFailure(String vendor, FailureMode mode) {
		injectFailure(vendor, (mode == FailureMode.SLOW) ? InjectedFailure.slow(this.switchboard.defaultSlowDelay())
				: InjectedFailure.of(mode));
	}

	/**
	 * Heal every vendor.
	 */
	public void clearFailures() {
		VENDORS.forEach((vendor) -> this.switchboard.set(vendor, InjectedFailure.NONE));
	}

	/**
	 * Expire every Qianfan v1 access token issued so far: calls with them get error 111
	 * until the client fetches a new one.
	 * @return how many valid tokens were expired
	 */
	public int expireQianfanTokens() {
		return this.tokens.expireAll();
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
	 * Stop at once: open connections close, streams in flight end and hanging requests
	 * are dropped. Does nothing the second time.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.switchboard.close();
		this.server.close();
		log.info("LLM stand-in on port {} stopped after {} requests", port(), requestCount());
	}

	private String root() {
		return "http://" + Ports.LOOPBACK + ":" + port();
	}

	/**
	 * Settings for a {@link VendorStandIn}.
	 */
	public static final class Builder {

		private int port;

		private Duration tokenDelay = Duration.ZERO;

		private Duration firstByteLatency = Duration.ZERO;

		private Duration slowDelay = DEFAULT_SLOW_DELAY;

		private final Map<String, FailureMode> modes = new LinkedHashMap<>();

		private final Map<String, InjectedFailure> failures = new LinkedHashMap<>();

		private String qianfanAccessKey;

		private String qianfanSecretKey;

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
		 * The pause of {@link FailureMode#SLOW} when none is given (default
		 * {@link VendorStandIn#DEFAULT_SLOW_DELAY}).
		 * @param slowDelay the pause before the first byte
		 * @return this builder
		 */
		public Builder slowDelay(Duration slowDelay) {
			this.slowDelay = Objects.requireNonNull(slowDelay, "slowDelay");
			return this;
		}

		/**
		 * Start with a vendor failing ({@link FailureMode#SLOW} uses the slow delay).
		 * @param vendor {@link VendorStandIn#OPENAI}, {@link VendorStandIn#ZHIPU} or
		 * {@link VendorStandIn#QIANFAN}
		 * @param mode the failure
		 * @return this builder
		 */
		public Builder failure(String vendor, FailureMode mode) {
			this.failures.remove(vendor);
			this.modes.put(Objects.requireNonNull(vendor, "vendor"), Objects.requireNonNull(mode, "mode"));
			return this;
		}

		/**
		 * Start with a vendor failing.
		 * @param vendor {@link VendorStandIn#OPENAI}, {@link VendorStandIn#ZHIPU} or
		 * {@link VendorStandIn#QIANFAN}
		 * @param failure the failure
		 * @return this builder
		 */
		public Builder failure(String vendor, InjectedFailure failure) {
			this.modes.remove(vendor);
			this.failures.put(Objects.requireNonNull(vendor, "vendor"), Objects.requireNonNull(failure, "failure"));
			return this;
		}

		/**
		 * Accept only these Qianfan v1 credentials at the token endpoint (default: any
		 * non-empty pair).
		 * @param accessKey the API key ({@code client_id})
		 * @param secretKey the secret key ({@code client_secret})
		 * @return this builder
		 */
		public Builder qianfanCredentials(String accessKey, String secretKey) {
			this.qianfanAccessKey = Objects.requireNonNull(accessKey, "accessKey");
			this.qianfanSecretKey = Objects.requireNonNull(secretKey, "secretKey");
			return this;
		}

		/**
		 * Start serving.
		 * @return the running stand-in
		 * @throws IOException if the port cannot be bound
		 * @throws IllegalArgumentException for a failure of an unknown vendor
		 */
		public VendorStandIn start() throws IOException {
			StandInSettings settings = new StandInSettings(this.tokenDelay, this.firstByteLatency);
			// The JDK server leaves Nagle on: a response body written after its headers
			// then waits for the caller's delayed ACK (~40 ms on Linux) and the stand-in,
			// not the relay, dominates every measured round trip. Read once, before the
			// first server.
			if (System.getProperty(NODELAY_PROPERTY) == null) {
				System.setProperty(NODELAY_PROPERTY, "true");
			}
			Map<String, InjectedFailure> initial = new LinkedHashMap<>();
			this.modes.forEach((vendor, mode) -> initial.put(vendor,
					(mode == FailureMode.SLOW) ? InjectedFailure.slow(this.slowDelay) : InjectedFailure.of(mode)));
			initial.putAll(this.failures);
			VendorSwitchboard switchboard = new VendorSwitchboard(initial, this.slowDelay);
			QianfanTokens tokens = new QianfanTokens(this.qianfanAccessKey, this.qianfanSecretKey);
			StandInServer server = StandInServer.start(this.port, settings, switchboard, tokens);
			VendorStandIn standIn = new VendorStandIn(server, switchboard, tokens, settings);
			log.info("LLM stand-in for {} listening on {} (token delay {} ms, first-byte latency {} ms); failures: {}",
					VENDORS, standIn.root(), this.tokenDelay.toMillis(), this.firstByteLatency.toMillis(),
					standIn.failuresUrl());
			return standIn;
		}

	}

}
