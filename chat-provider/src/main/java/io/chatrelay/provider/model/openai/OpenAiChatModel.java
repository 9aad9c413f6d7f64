package io.chatrelay.provider.model.openai;

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
import io.chatrelay.provider.model.openai.OpenAiWire.Choice;
import io.chatrelay.provider.model.openai.OpenAiWire.Completion;
import io.chatrelay.provider.model.openai.OpenAiWire.CompletionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatModel} for the OpenAI chat-completions API (and compatible endpoints), on
 * the JDK {@link HttpClient}: fully asynchronous, no thread waits on I/O.
 *
 * <p>
 * Timeouts: the client's connect timeout; for streams {@code firstTokenTimeout} until the
 * response headers and until the first event; {@code totalTimeout} for the whole call (a
 * whole answer's headers only arrive once it is generated, so a unary call waits for them
 * up to {@code totalTimeout}). Every failure is mapped once by {@link OpenAiErrorMapper}.
 * Without an API key every call fails fast with {@code UNAUTHORIZED} and nothing is sent.
 */
public class OpenAiChatModel implements ChatModel {

	/** The vendor name of this adapter. */
	public static final String VENDOR = "chatgpt";

	private static final Logger logger = LoggerFactory.getLogger(OpenAiChatModel.class);

	private final OpenAiProperties properties;

	private final HttpClient httpClient;

	private final OpenAiErrorMapper errors;

	private final URI endpoint;

	/**
	 * Create an adapter with its own HTTP client built from the properties.
	 * @param properties the settings
	 */
	public OpenAiChatModel(OpenAiProperties properties) {
		this(properties, HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build());
	}

	/**
	 * Create an adapter on a shared HTTP client (whose connect timeout should match
	 * {@link OpenAiProperties#connectTimeout()}).
	 * @param properties the settings
	 * @param httpClient the client, shared by all calls
	 */
	public OpenAiChatModel(OpenAiProperties properties, HttpClient httpClient) {
		this.properties = Objects.requireNonNull(properties, "properties");
		this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
		this.errors = new OpenAiErrorMapper(properties.apiKey(), Clock.systemUTC());
		String base = properties.baseUrl().replaceAll("/+$", "");
		this.endpoint = URI.create(base + "/chat/completions");
		if (!properties.hasApiKey()) {
			logger.warn("OpenAI API key is not configured: every OpenAI call will fail with UNAUTHORIZED");
		}
	}

	@Override
	public boolean configured() {
		return this.properties.hasApiKey();
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
		return UnaryExchange.send(this.httpClient, httpRequest, this.properties.totalTimeout(), "OpenAI",
				(response) -> toModelResponse(response, requestedModel), this.errors::fromThrowable);
	}

	@Override
	public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
		Objects.requireNonNull(request, "request");
		OpenAiStream stream = new OpenAiStream(listener, this.errors, modelFor(request));
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

	private String modelFor(ModelRequest request) {
		return (request.model() != null && !request.model().isBlank()) ? request.model() : this.properties.model();
	}

	private HttpRequest httpRequest(ModelRequest request, boolean stream) {
		if (!this.properties.hasApiKey()) {
			throw new ChatException(ChatErrorCode.UNAUTHORIZED, "OpenAI API key is not configured");
		}
		String model = modelFor(request);
		byte[] body;
		try {
			body = OpenAiWire.write(CompletionRequest.of(request, model, stream));
		}
		catch (JsonProcessingException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Cannot encode the OpenAI request");
		}
		catch (IllegalArgumentException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Unsupported message role for OpenAI");
		}
		logger.debug("OpenAI request: model={}, messages={}, stream={}", model, request.messages().size(), stream);
		return HttpRequest.newBuilder(this.endpoint)
			.timeout(stream ? this.properties.firstTokenTimeout() : this.properties.totalTimeout())
			.header("Authorization", "Bearer " + this.properties.apiKey())
			.header("Content-Type", "application/json")
			.header("Accept", stream ? "text/event-stream" : "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	private ModelResponse toModelResponse(HttpResponse<String> response, String requestedModel) {
		int status = response.statusCode();
		if (status / 100 != 2) {
			logger.debug("OpenAI answered HTTP {}: {}", status, response.body());
			throw this.errors.fromResponse(status, response.headers(), response.body());
		}
		Completion completion;
		try {
			completion = OpenAiWire.readCompletion(response.body());
		}
		catch (IOException ex) {
			logger.debug("Unreadable OpenAI response: {}", response.body());
			throw new ChatException(ChatErrorCode.UNAVAILABLE,
					"OpenAI sent an unreadable response (HTTP " + status + ")");
		}
		if (completion.error() != null) {
			throw this.errors.fromErrorObject(completion.error(), response.headers());
		}
		Choice choice = completion.firstChoice();
		if (choice == null || choice.message() == null) {
			throw new ChatException(ChatErrorCode.UNAVAILABLE, "OpenAI answered without a choice");
		}
		String finishReason = choice.lowerCaseFinishReason();
		String text = choice.message().content();
		if ((text == null || text.isEmpty()) && "content_filter".equals(finishReason)) {
			throw new ChatException(ChatErrorCode.CONTENT_FILTERED, "OpenAI filtered the answer (content_filter)");
		}
		if (text == null) {
			text = Objects.requireNonNullElse(choice.message().refusal(), "");
		}
		String model = (completion.model() != null) ? completion.model() : requestedModel;
		TokenUsage usage = (completion.usage() != null) ? completion.usage().toTokenUsage() : TokenUsage.UNKNOWN;
		return new ModelResponse(text, model, finishReason, usage);
	}

}
