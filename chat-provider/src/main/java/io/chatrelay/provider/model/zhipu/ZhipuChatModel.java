package io.chatrelay.provider.model.zhipu;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.http.UnaryExchange;
import io.chatrelay.provider.model.zhipu.ZhipuWire.Choice;
import io.chatrelay.provider.model.zhipu.ZhipuWire.Completion;
import io.chatrelay.provider.model.zhipu.ZhipuWire.CompletionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatModel} for Zhipu GLM ({@code POST {baseUrl}/chat/completions}, BigModel v4),
 * on the JDK {@link HttpClient}: fully asynchronous, no thread waits on I/O.
 *
 * <p>
 * Authentication follows {@link ZhipuProperties#authMode()}: a cached HS256 JWT signed by
 * {@link ZhipuJwtSigner} for {@code id.secret} keys, else the key as a Bearer token.
 * Without a usable key every call fails fast with {@code UNAUTHORIZED} and nothing is
 * sent. Timeouts: the client's connect timeout; for streams {@code firstTokenTimeout}
 * until the response headers and the first event; {@code totalTimeout} for the whole call
 * (a whole answer's headers wait up to it). Every failure is mapped once by
 * {@link ZhipuErrorMapper}; a whole answer with {@code finish_reason} {@code sensitive}
 * is {@code CONTENT_FILTERED} and one with {@code network_error} is {@code UNAVAILABLE},
 * even when it carries text.
 */
public class ZhipuChatModel implements ChatModel {

	/** The vendor name of this adapter. */
	public static final String VENDOR = "chatglm";

	private static final Logger logger = LoggerFactory.getLogger(ZhipuChatModel.class);

	private final ZhipuProperties properties;

	private final HttpClient httpClient;

	private final ZhipuJwtSigner signer;

	private final String keyProblem;

	private final ZhipuErrorMapper errors;

	private final URI endpoint;

	/**
	 * Create an adapter with its own HTTP client built from the properties.
	 * @param properties the settings
	 */
	public ZhipuChatModel(ZhipuProperties properties) {
		this(properties, HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build());
	}

	/**
	 * Create an adapter on a shared HTTP client (whose connect timeout should match
	 * {@link ZhipuProperties#connectTimeout()}).
	 * @param properties the settings
	 * @param httpClient the client, shared by all calls
	 */
	public ZhipuChatModel(ZhipuProperties properties, HttpClient httpClient) {
		this(properties, httpClient, Clock.systemUTC());
	}

	/**
	 * Create an adapter with a given clock for token signing and {@code Retry-After}.
	 * @param properties the settings
	 * @param httpClient the client, shared by all calls
	 * @param clock the clock
	 */
	ZhipuChatModel(ZhipuProperties properties, HttpClient httpClient, Clock clock) {
		this.properties = Objects.requireNonNull(properties, "properties");
		this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
		this.keyProblem = keyProblem(properties);
		this.signer = (this.keyProblem == null && properties.usesJwt())
				? new ZhipuJwtSigner(properties.apiKey(), properties.tokenTtl(), properties.tokenCacheTime(), clock)
				: null;
		ZhipuJwtSigner tokens = this.signer;
		this.errors = new ZhipuErrorMapper(properties.apiKey(), clock, () -> {
			if (tokens != null) {
				tokens.invalidate();
			}
		});
		String base = properties.baseUrl().replaceAll("/+$", "");
		this.endpoint = URI.create(base + "/chat/completions");
		if (this.keyProblem != null) {
			logger.warn("{}: every Zhipu call will fail with UNAUTHORIZED", this.keyProblem);
		}
	}

	@Override
	public boolean configured() {
		return this.keyProblem == null;
	}

	@Override
	public String vendor() {
		return VENDOR;
	}

	@Override
	public CompletableFuture<ModelResponse> call(ModelRequest request) {
		Objects.requireNonNull(request, "request");
		HttpRequest httpRequest;
		try {
			httpRequest = httpRequest(request, false);
		}
		catch (ChatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		String requestedModel = modelFor(request);
		return UnaryExchange.send(this.httpClient, httpRequest, this.properties.totalTimeout(), "Zhipu",
				(response) -> toModelResponse(response, requestedModel), this.errors::fromThrowable);
	}

	@Override
	public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
		Objects.requireNonNull(request, "request");
		ZhipuStream stream = new ZhipuStream(listener, this.errors, modelFor(request));
		HttpRequest httpRequest;
		try {
			httpRequest = httpRequest(request, true);
		}
		catch (ChatException ex) {
			stream.fail(ex);
			return stream;
		}
		stream.start(this.httpClient, httpRequest, this.properties.firstTokenTimeout(), this.properties.totalTimeout());
		return stream;
	}

	private static String keyProblem(ZhipuProperties properties) {
		if (!properties.hasApiKey()) {
			return "Zhipu API key is not configured";
		}
		if (properties.authMode() == ZhipuProperties.AuthMode.JWT && !ZhipuJwtSigner.isIdSecret(properties.apiKey())) {
			return "Zhipu API key must have the id.secret form for auth-mode jwt";
		}
		return null;
	}

	private String modelFor(ModelRequest request) {
		return (request.model() != null && !request.model().isBlank()) ? request.model() : this.properties.model();
	}

	private HttpRequest httpRequest(ModelRequest request, boolean stream) {
		if (this.keyProblem != null) {
			throw new ChatException(ChatErrorCode.UNAUTHORIZED, this.keyProblem);
		}
		String model = modelFor(request);
		byte[] body;
		try {
			body = ZhipuWire.write(CompletionRequest.of(request, model, stream));
		}
		catch (JsonProcessingException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Cannot encode the Zhipu request");
		}
		catch (IllegalArgumentException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Unsupported message role for Zhipu");
		}
		logger.debug("Zhipu request: model={}, messages={}, stream={}", model, request.messages().size(), stream);
		return HttpRequest.newBuilder(this.endpoint)
			.timeout(stream ? this.properties.firstTokenTimeout() : this.properties.totalTimeout())
			.header("Authorization", "Bearer " + credential())
			.header("Content-Type", "application/json")
			.header("Accept", stream ? "text/event-stream" : "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	private String credential() {
		if (this.signer == null) {
			return this.properties.apiKey();
		}
		try {
			return this.signer.token();
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot sign a Zhipu token: {}", ex.getMessage());
			throw new ChatException(ChatErrorCode.UNAUTHORIZED, "Cannot sign the Zhipu token");
		}
	}

	private ModelResponse toModelResponse(HttpResponse<String> response, String requestedModel) {
		int status = response.statusCode();
		if (status / 100 != 2) {
			logger.debug("Zhipu answered HTTP {}: {}", status, response.body());
			throw this.errors.fromResponse(status, response.headers(), response.body());
		}
		Completion completion;
		try {
			completion = ZhipuWire.readCompletion(response.body());
		}
		catch (IOException ex) {
			logger.debug("Unreadable Zhipu response: {}", response.body());
			throw new ChatException(ChatErrorCode.UNAVAILABLE,
					"Zhipu sent an unreadable response (HTTP " + status + ")");
		}
		if (completion.error() != null) {
			throw this.errors.fromErrorObject(completion.error(), response.headers());
		}
		Choice choice = completion.firstChoice();
		if (choice == null || choice.message() == null) {
			throw new ChatException(ChatErrorCode.UNAVAILABLE, "Zhipu answered without a choice");
		}
		String finishReason = choice.lowerCaseFinishReason();
		ChatException abnormal = this.errors.fromFinishReason(finishReason, false);
		if (abnormal != null) {
			logger.debug("Zhipu request {} ended with finish_reason {}", completion.requestId(), finishReason);
			throw abnormal;
		}
		logger.debug("Zhipu answered request {}", completion.requestId());
		String text = Objects.requireNonNullElse(choice.message().content(), "");
		String model = (completion.model() != null) ? completion.model() : requestedModel;
		TokenUsage usage = (completion.usage() != null) ? completion.usage().toTokenUsage() : TokenUsage.UNKNOWN;
		return new ModelResponse(text, model, finishReason, usage);
	}

}
