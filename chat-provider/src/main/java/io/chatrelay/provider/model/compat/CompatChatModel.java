package io.chatrelay.provider.model.compat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import io.chatrelay.provider.model.compat.CompatWire.Choice;
import io.chatrelay.provider.model.compat.CompatWire.Completion;
import io.chatrelay.provider.model.compat.CompatWire.CompletionRequest;
import io.chatrelay.provider.model.http.UnaryExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatModel} for any vendor that speaks the OpenAI chat-completions dialect
 * ({@code POST {baseUrl}/chat/completions}, JSON answers, data-only SSE ending in
 * {@code [DONE]}): OpenAI and Zhipu GLM today. The vendor comes as a
 * {@link CompatVendor}: its name, settings, request {@link CompatDialect}, credentials
 * and error mapper. Runs on the JDK {@link HttpClient}, fully asynchronously.
 *
 * <p>
 * Timeouts: the client's connect timeout; for streams {@code firstTokenTimeout} until the
 * response headers and the first event; {@code totalTimeout} for the whole call (a whole
 * answer's headers only arrive once it is generated, so a unary call waits for them up to
 * {@code totalTimeout}). Without usable credentials every call fails fast with
 * {@code UNAUTHORIZED} and nothing is sent.
 *
 * <p>
 * Answers: an {@code error} object in a 2xx body or event is mapped by the vendor's
 * mapper, as is a vendor-specific abnormal finish reason
 * ({@link CompatErrorMapper#fromFinishReason}, e.g. Zhipu's {@code sensitive}, failing
 * the answer even when it carries text); the standard {@code content_filter} with no text
 * is {@code CONTENT_FILTERED}; a {@code refusal} stands in for missing content.
 */
public final class CompatChatModel implements ChatModel {

	private static final Logger logger = LoggerFactory.getLogger(CompatChatModel.class);

	private static final String CONTENT_FILTER = "content_filter";

	private final CompatVendor vendor;

	private final HttpClient httpClient;

	private final URI endpoint;

	/**
	 * Create an adapter on a shared HTTP client (whose connect timeout is the vendor's).
	 * @param vendor the vendor
	 * @param httpClient the client, shared by all calls
	 */
	public CompatChatModel(CompatVendor vendor, HttpClient httpClient) {
		this.vendor = Objects.requireNonNull(vendor, "vendor");
		this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
		this.endpoint = URI.create(vendor.baseUrl().replaceAll("/+$", "") + "/chat/completions");
		String problem = vendor.credentials().problem();
		if (problem != null) {
			logger.warn("{}: every {} call will fail with UNAUTHORIZED", problem, vendor.label());
		}
	}

	@Override
	public String vendor() {
		return this.vendor.name();
	}

	@Override
	public boolean configured() {
		return this.vendor.credentials().problem() == null;
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
		return UnaryExchange.send(this.httpClient, httpRequest, this.vendor.totalTimeout(), this.vendor.label(),
				(response) -> toModelResponse(response, requestedModel), this.vendor.errors()::fromThrowable);
	}

	@Override
	public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
		Objects.requireNonNull(request, "request");
		CompatStream stream = new CompatStream(listener, this.vendor.label(), this.vendor.errors(), modelFor(request));
		HttpRequest httpRequest;
		try {
			httpRequest = httpRequest(request, true);
		}
		catch (ChatException ex) {
			stream.fail(ex);
			return stream;
		}
		stream.start(this.httpClient, httpRequest, this.vendor.firstTokenTimeout(), this.vendor.totalTimeout());
		return stream;
	}

	private String modelFor(ModelRequest request) {
		return (request.model() != null && !request.model().isBlank()) ? request.model() : this.vendor.model();
	}

	private HttpRequest httpRequest(ModelRequest request, boolean stream) {
		String label = this.vendor.label();
		String problem = this.vendor.credentials().problem();
		if (problem != null) {
			throw new ChatException(ChatErrorCode.UNAUTHORIZED, problem);
		}
		String model = modelFor(request);
		byte[] body;
		try {
			body = CompatWire.write(CompletionRequest.of(request, model, stream, this.vendor.dialect()));
		}
		catch (JsonProcessingException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Cannot encode the " + label + " request");
		}
		catch (IllegalArgumentException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Unsupported message role for " + label);
		}
		logger.debug("{} request: model={}, messages={}, stream={}", label, model, request.messages().size(), stream);
		return HttpRequest.newBuilder(this.endpoint)
			.timeout(stream ? this.vendor.firstTokenTimeout() : this.vendor.totalTimeout())
			.header("Authorization", "Bearer " + this.vendor.credentials().bearerToken())
			.header("Content-Type", "application/json")
			.header("Accept", stream ? "text/event-stream" : "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	private ModelResponse toModelResponse(HttpResponse<String> response, String requestedModel) {
		String label = this.vendor.label();
		CompatErrorMapper errors = this.vendor.errors();
		int status = response.statusCode();
		if (status / 100 != 2) {
			logger.debug("{} answered HTTP {}: {}", label, status, response.body());
			throw errors.fromResponse(status, response.headers(), response.body());
		}
		Completion completion;
		try {
			completion = CompatWire.readCompletion(response.body());
		}
		catch (IOException ex) {
			logger.debug("Unreadable {} response: {}", label, response.body());
			throw new ChatException(ChatErrorCode.UNAVAILABLE,
					label + " sent an unreadable response (HTTP " + status + ")");
		}
		if (completion.error() != null) {
			throw errors.fromErrorObject(completion.error(), response.headers());
		}
		Choice choice = completion.firstChoice();
		if (choice == null || choice.message() == null) {
			throw new ChatException(ChatErrorCode.UNAVAILABLE, label + " answered without a choice");
		}
		String finishReason = choice.lowerCaseFinishReason();
		ChatException abnormal = errors.fromFinishReason(finishReason, false);
		if (abnormal != null) {
			logger.debug("{} request {} ended with finish_reason {}", label, completion.requestId(), finishReason);
			throw abnormal;
		}
		String text = choice.message().content();
		if ((text == null || text.isEmpty()) && CONTENT_FILTER.equals(finishReason)) {
			throw filtered(label);
		}
		if (text == null) {
			text = Objects.requireNonNullElse(choice.message().refusal(), "");
		}
		String model = (completion.model() != null) ? completion.model() : requestedModel;
		TokenUsage usage = (completion.usage() != null) ? completion.usage().toTokenUsage() : TokenUsage.UNKNOWN;
		return new ModelResponse(text, model, finishReason, usage);
	}

	/**
	 * The answer ended with the standard {@code content_filter} and no text.
	 * @param label the vendor's name in messages
	 * @return the exception
	 */
	static ChatException filtered(String label) {
		return new ChatException(ChatErrorCode.CONTENT_FILTERED, label + " filtered the answer (content_filter)");
	}

}
