package io.chatrelay.provider.model.ernie;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.ernie.ErnieApi.ErnieReply;
import io.chatrelay.provider.model.ernie.ErnieApi.Prepared;
import io.chatrelay.provider.model.ernie.ErnieErrorMapper.TokenRejected;
import io.chatrelay.provider.model.ernie.ErnieProperties.ApiVersion;
import io.chatrelay.provider.model.http.TransportFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatModel} for Baidu ERNIE on Qianfan, speaking v2 (OpenAI-compatible, the
 * default) or classic v1 as {@link ErnieProperties#apiVersion()} says, on the JDK
 * {@link HttpClient}: fully asynchronous, no thread waits on I/O.
 *
 * <p>
 * Timeouts: the client's connect timeout; {@code firstTokenTimeout} for the v1 token
 * fetch and, for streams, until the response headers and the first event;
 * {@code totalTimeout} for the whole call (a whole answer's headers wait up to it). Every
 * failure is mapped once by {@link ErnieErrorMapper}. When v1 rejects its access token
 * (110/111) the token is refreshed and the request resent exactly once. Without
 * credentials for the chosen version every call fails fast with {@code UNAUTHORIZED} and
 * nothing is sent.
 */
final class ErnieChatModel implements ChatModel {

	/** The vendor name of this adapter. */
	static final String VENDOR = "ernie";

	private static final Logger logger = LoggerFactory.getLogger(ErnieChatModel.class);

	private final ErnieProperties properties;

	private final HttpClient httpClient;

	private final ErnieErrorMapper errors;

	private final ErnieApi api;

	/**
	 * Create an adapter with its own HTTP client built from the properties.
	 * @param properties the settings
	 */
	ErnieChatModel(ErnieProperties properties) {
		this(properties, HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build());
	}

	/**
	 * Create an adapter on a shared HTTP client (whose connect timeout should match
	 * {@link ErnieProperties#connectTimeout()}).
	 * @param properties the settings
	 * @param httpClient the client, shared by all calls (and the v1 token requests)
	 */
	ErnieChatModel(ErnieProperties properties, HttpClient httpClient) {
		this(properties, httpClient, Clock.systemUTC());
	}

	ErnieChatModel(ErnieProperties properties, HttpClient httpClient, Clock clock) {
		this.properties = Objects.requireNonNull(properties, "properties");
		this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
		boolean v1 = properties.apiVersion() == ApiVersion.V1;
		this.errors = new ErnieErrorMapper(v1 ? ErnieV1Api.LABEL : ErnieV2Api.LABEL,
				List.of(properties.apiKey(), properties.accessKey(), properties.secretKey()), clock);
		if (v1) {
			QianfanAccessTokens tokens = new QianfanAccessTokens(httpClient, properties.authBaseUrl(),
					properties.accessKey(), properties.secretKey(), properties.firstTokenTimeout(), this.errors, clock);
			this.api = new ErnieV1Api(properties, tokens, this.errors);
		}
		else {
			this.api = new ErnieV2Api(properties, this.errors);
		}
		if (!properties.hasCredentials()) {
			logger.warn("{} credentials are not configured: every ERNIE call will fail with UNAUTHORIZED",
					this.api.label());
		}
	}

	@Override
	public boolean configured() {
		return this.properties.hasCredentials();
	}

	@Override
	public String vendor() {
		return VENDOR;
	}

	@Override
	public CompletableFuture<ModelResponse> call(ModelRequest request) {
		Objects.requireNonNull(request, "request");
		InFlight inFlight = new InFlight();
		CompletableFuture<ModelResponse> result = new CompletableFuture<>();
		attempt(request, false, inFlight).orTimeout(this.properties.totalTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((answer, failure) -> {
				if (failure == null) {
					result.complete(answer);
				}
				else if (TransportFailures.unwrap(failure) instanceof TimeoutException) {
					inFlight.cancel();
					result.completeExceptionally(new ChatException(ChatErrorCode.TIMEOUT,
							this.api.label() + " did not answer within " + this.properties.totalTimeout()));
				}
				else {
					result.completeExceptionally(this.errors.fromThrowable(failure));
				}
			});
		result.whenComplete((answer, failure) -> {
			if (failure instanceof CancellationException) {
				inFlight.cancel();
			}
		});
		return result;
	}

	@Override
	public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
		Objects.requireNonNull(request, "request");
		ErnieStream stream = new ErnieStream(listener, this.api, this.errors, request);
		stream.start(this.httpClient, this.properties.firstTokenTimeout(), this.properties.totalTimeout());
		return stream;
	}

	/**
	 * One attempt, and once more if v1 rejected the access token.
	 */
	private CompletableFuture<ModelResponse> attempt(ModelRequest request, boolean retried, InFlight inFlight) {
		return this.api.prepare(request, false).thenCompose((prepared) -> {
			CompletableFuture<HttpResponse<String>> exchange = this.httpClient.sendAsync(prepared.httpRequest(),
					HttpResponse.BodyHandlers.ofString());
			inFlight.set(exchange);
			return exchange.thenApply((response) -> toModelResponse(response, prepared))
				.exceptionallyCompose((failure) -> {
					if (!retried && TransportFailures.unwrap(failure) instanceof TokenRejected) {
						logger.debug("{} rejected the access token; refreshing it and resending once",
								this.api.label());
						this.api.rejected(prepared);
						return attempt(request, true, inFlight);
					}
					return CompletableFuture.failedFuture(failure);
				});
		});
	}

	private ModelResponse toModelResponse(HttpResponse<String> response, Prepared prepared) {
		int status = response.statusCode();
		if (status / 100 != 2) {
			throw this.api.fromStatus(status, response.headers(), response.body());
		}
		ErnieReply reply = this.api.read(response.body(), response.headers(), false);
		String text = Objects.requireNonNullElse(reply.text(), "");
		if (text.isEmpty() && ErnieWire.CONTENT_FILTER.equals(reply.finishReason())) {
			throw this.errors.contentFiltered(ErnieWire.CONTENT_FILTER);
		}
		String model = (reply.model() != null) ? reply.model() : prepared.model();
		TokenUsage usage = (reply.usage() != null) ? reply.usage() : TokenUsage.UNKNOWN;
		return new ModelResponse(text, model, reply.finishReason(), usage);
	}

	/**
	 * The exchange a call is waiting for; once cancelled (caller or total timeout) it
	 * also aborts an exchange started later, such as the resend after a token refresh.
	 */
	private static final class InFlight {

		private final AtomicReference<CompletableFuture<?>> exchange = new AtomicReference<>();

		private volatile boolean cancelled;

		void set(CompletableFuture<?> next) {
			this.exchange.set(next);
			if (this.cancelled) {
				next.cancel(true);
			}
		}

		void cancel() {
			this.cancelled = true;
			CompletableFuture<?> current = this.exchange.get();
			if (current != null) {
				current.cancel(true);
			}
		}

	}

}
