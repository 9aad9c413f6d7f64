package io.chatrelay.provider.model.ernie;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.provider.model.ernie.ErnieWire.TokenResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Qianfan v1 OAuth {@code access_token} ({@code client_credentials} grant), cached
 * and refreshed lazily, once, under concurrency.
 *
 * <p>
 * One slot holds the current token as a future. Callers that find no token, an expired
 * one or a failed fetch race to swap in a new future with a compare-and-set; the winner
 * starts the only fetch and every other caller shares it (no thread waits on I/O). A
 * token is used until {@link #refreshMargin(Duration) shortly before} its
 * {@code expires_in} (30 days) ends. A failed fetch is not cached: the callers that
 * shared it fail, the next call fetches again.
 *
 * <p>
 * {@link #invalidate(String)} (after error 110/111) clears the slot only while it still
 * holds the rejected token, so any number of callers reporting the same token cause one
 * refetch. The token and the secret key travel in URLs: they are never logged.
 */
final class QianfanAccessTokens {

	private static final Logger logger = LoggerFactory.getLogger(QianfanAccessTokens.class);

	/** Baidu's documented lifetime, used when an answer omits {@code expires_in}. */
	static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(2_592_000);

	private final HttpClient httpClient;

	private final URI tokenUri;

	private final Duration requestTimeout;

	private final ErnieErrorMapper errors;

	private final Clock clock;

	private final AtomicReference<CompletableFuture<Token>> current = new AtomicReference<>();

	/**
	 * Create a token source.
	 * @param httpClient the client, shared with the chat calls
	 * @param authBaseUrl the OAuth root, e.g. {@code https://aip.baidubce.com}
	 * @param accessKey the application's API Key ({@code client_id})
	 * @param secretKey the application's Secret Key ({@code client_secret})
	 * @param requestTimeout the time a token request may take
	 * @param errors maps failures
	 * @param clock the clock for expiry
	 */
	QianfanAccessTokens(HttpClient httpClient, String authBaseUrl, String accessKey, String secretKey,
			Duration requestTimeout, ErnieErrorMapper errors, Clock clock) {
		this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
		this.tokenUri = URI
			.create(authBaseUrl.replaceAll("/+$", "") + "/oauth/2.0/token?grant_type=client_credentials&client_id="
					+ encode(accessKey) + "&client_secret=" + encode(secretKey));
		this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
		this.errors = Objects.requireNonNull(errors, "errors");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * A valid access token: the cached one, or the one being fetched.
	 * @return the token, or a future failed with a {@link ChatException}
	 * ({@code UNAUTHORIZED} for rejected credentials)
	 */
	CompletableFuture<String> get() {
		while (true) {
			CompletableFuture<Token> cached = this.current.get();
			if (cached != null && (!cached.isDone() || isFresh(cached))) {
				return cached.thenApply(Token::value);
			}
			CompletableFuture<Token> fresh = new CompletableFuture<>();
			if (this.current.compareAndSet(cached, fresh)) {
				fetch(fresh);
				return fresh.thenApply(Token::value);
			}
		}
	}

	/**
	 * Forget a token the vendor rejected (110/111), unless it was already replaced.
	 * @param rejected the token the failed call used
	 */
	void invalidate(String rejected) {
		CompletableFuture<Token> cached = this.current.get();
		if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()
				&& cached.join().value().equals(rejected) && this.current.compareAndSet(cached, null)) {
			logger.info("Qianfan access token rejected by the vendor; fetching a new one");
		}
	}

	private boolean isFresh(CompletableFuture<Token> cached) {
		return !cached.isCompletedExceptionally() && this.clock.instant().isBefore(cached.join().refreshAt());
	}

	private void fetch(CompletableFuture<Token> fresh) {
		logger.debug("Fetching a Qianfan access token");
		HttpRequest request = HttpRequest.newBuilder(this.tokenUri)
			.timeout(this.requestTimeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		CompletableFuture<HttpResponse<String>> exchange;
		try {
			exchange = this.httpClient.sendAsync(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (RuntimeException ex) {
			exchange = CompletableFuture.failedFuture(ex);
		}
		exchange.thenApply(this::toToken).whenComplete((token, failure) -> {
			if (failure == null) {
				fresh.complete(token);
				return;
			}
			// Clear the slot first so that callers arriving after the failure fetch anew.
			this.current.compareAndSet(fresh, null);
			fresh.completeExceptionally(this.errors.fromThrowable(failure));
		});
	}

	private Token toToken(HttpResponse<String> response) {
		int status = response.statusCode();
		TokenResponse token = null;
		if (status / 100 == 2 && ErnieWire.readError(response.body()) == null) {
			try {
				token = ErnieWire.read(response.body(), TokenResponse.class);
			}
			catch (IOException ex) {
				throw new ChatException(ChatErrorCode.UNAVAILABLE,
						"The Qianfan token endpoint sent an unreadable answer (HTTP " + status + ")");
			}
		}
		if (token == null) {
			ChatException error = this.errors.fromTokenResponse(status, response.headers(), response.body());
			logger.warn("Qianfan access token request failed: {}", error.getMessage());
			throw error;
		}
		if (token.accessToken() == null || token.accessToken().isBlank()) {
			throw new ChatException(ChatErrorCode.UNAVAILABLE, "The Qianfan token endpoint sent no access_token");
		}
		Duration lifetime = (token.expiresIn() != null && token.expiresIn() > 0) ? Duration.ofSeconds(token.expiresIn())
				: DEFAULT_LIFETIME;
		Instant refreshAt = this.clock.instant().plus(lifetime).minus(refreshMargin(lifetime));
		logger.info("Fetched a Qianfan access token valid for {}; refreshing after {}", lifetime, refreshAt);
		return new Token(token.accessToken(), refreshAt);
	}

	/**
	 * How long before expiry a token is replaced: a tenth of its lifetime, at most an
	 * hour (30-day tokens are renewed an hour early).
	 * @param lifetime the token's {@code expires_in}
	 * @return the margin
	 */
	static Duration refreshMargin(Duration lifetime) {
		Duration tenth = lifetime.dividedBy(10);
		return (tenth.compareTo(Duration.ofHours(1)) > 0) ? Duration.ofHours(1) : tenth;
	}

	private static String encode(String value) {
		return URLEncoder.encode(Objects.requireNonNullElse(value, ""), StandardCharsets.UTF_8);
	}

	/**
	 * A cached token.
	 *
	 * @param value the access token
	 * @param refreshAt when to fetch a new one
	 */
	private record Token(String value, Instant refreshAt) {

		@Override
		public String toString() {
			return "Token[refreshAt=" + this.refreshAt + "]";
		}

	}

}
