package io.chatrelay.provider.model.ernie;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ernie.ErnieWire.Message;
import io.chatrelay.provider.model.ernie.ErnieWire.StreamOptions;
import io.chatrelay.provider.model.ernie.ErnieWire.Usage;
import io.chatrelay.provider.model.ernie.ErnieWire.V2Choice;
import io.chatrelay.provider.model.ernie.ErnieWire.V2Request;
import io.chatrelay.provider.model.ernie.ErnieWire.V2Response;
import io.chatrelay.provider.model.ernie.ErnieWire.VendorError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Qianfan v2, OpenAI-compatible: {@code POST {baseUrl}/chat/completions} with
 * {@code Authorization: Bearer bce-v3/…}, one leading {@code system} message and
 * {@link ErnieMessages#normalise normalised} turns (ERNIE models still want an odd,
 * alternating list). Errors arrive as HTTP 4xx/5xx with
 * {@code {"error":{"code":…,"message":…},"id":…}}; chunks are read leniently (their
 * {@code object} may say {@code chat.completion}, extra {@code is_end} and
 * {@code need_clear_history} are tolerated) and the stream ends with {@code [DONE]}.
 * Streams ask for {@code stream_options.include_usage}.
 *
 * <p>
 * <strong>Why not the shared chat-completions adapter ({@code model/compat})?</strong>
 * Qianfan v2 is OpenAI-compatible on the request line, but what decides an outcome is
 * ERNIE's, shared with v1: normalised turns with one leading system message, the safety
 * {@code flag} (3/4 fail even an answer with text) and {@code need_clear_history} in
 * choices, v1-style {@code error_code} bodies and the {@code X-Baidu-Request-Id} in
 * errors, and stream bodies that may be one plain JSON document (an error, or a whole
 * answer, which is delivered). Moving v2 there would need four ERNIE-only hooks in the
 * adapter or change these outcomes.
 */
final class ErnieV2Api implements ErnieApi {

	private static final Logger logger = LoggerFactory.getLogger(ErnieV2Api.class);

	static final String LABEL = "ERNIE v2";

	private final ErnieProperties properties;

	private final ErnieErrorMapper errors;

	private final URI endpoint;

	ErnieV2Api(ErnieProperties properties, ErnieErrorMapper errors) {
		this.properties = properties;
		this.errors = errors;
		this.endpoint = URI.create(properties.baseUrl() + "/chat/completions");
	}

	@Override
	public String label() {
		return LABEL;
	}

	@Override
	public CompletableFuture<Prepared> prepare(ModelRequest request, boolean stream) {
		if (!this.properties.hasCredentials()) {
			return CompletableFuture
				.failedFuture(new ChatException(ChatErrorCode.UNAUTHORIZED, "ERNIE v2 API key is not configured"));
		}
		String model = (request.model() != null && !request.model().isBlank()) ? request.model().strip()
				: this.properties.model();
		byte[] body;
		try {
			body = body(request, model, stream);
		}
		catch (ChatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		logger.debug("ERNIE v2 request: model={}, messages={}, stream={}", model, request.messages().size(), stream);
		HttpRequest httpRequest = HttpRequest.newBuilder(this.endpoint)
			.timeout(stream ? this.properties.firstTokenTimeout() : this.properties.totalTimeout())
			.header("Authorization", "Bearer " + this.properties.apiKey())
			.header("Content-Type", "application/json")
			.header("Accept", stream ? "text/event-stream, application/json" : "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return CompletableFuture.completedFuture(new Prepared(httpRequest, model, null));
	}

	private byte[] body(ModelRequest request, String model, boolean stream) {
		List<Message> messages = new ArrayList<>();
		try {
			String system = ErnieMessages.system(request.messages());
			if (system != null) {
				messages.add(new Message("system", system));
			}
			List<ChatMessage> turns = ErnieMessages.normalise(request.messages());
			if (turns.isEmpty()) {
				throw new ChatException(ChatErrorCode.BAD_REQUEST, "ERNIE needs at least one user message");
			}
			turns.forEach((turn) -> messages.add(Message.of(turn)));
		}
		catch (IllegalArgumentException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Unsupported message role for ERNIE");
		}
		V2Request wire = new V2Request(model, messages, stream, stream ? new StreamOptions(true) : null,
				request.temperatureWithin(ErnieWire.MIN_TEMPERATURE, ErnieWire.MAX_TEMPERATURE), request.maxTokens(),
				request.user());
		try {
			return ErnieWire.write(wire);
		}
		catch (JsonProcessingException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Cannot encode the ERNIE v2 request");
		}
	}

	@Override
	public ErnieReply read(String json, HttpHeaders headers, boolean chunk) {
		VendorError error = ErnieWire.readError(json);
		if (error != null) {
			logger.debug("ERNIE v2 error body: {}", json);
			throw this.errors.fromError(error, headers);
		}
		V2Response response;
		try {
			response = ErnieWire.read(json, V2Response.class);
		}
		catch (IOException ex) {
			logger.debug("Unreadable ERNIE v2 {}: {}", chunk ? "stream event" : "response", json);
			throw new ChatException(ChatErrorCode.UNAVAILABLE,
					"ERNIE v2 sent an unreadable " + (chunk ? "stream event" : "response"));
		}
		V2Choice choice = response.firstChoice();
		if (choice == null) {
			if (!chunk) {
				throw new ChatException(ChatErrorCode.UNAVAILABLE, "ERNIE v2 answered without a choice");
			}
			// the include_usage tail: no choice, only usage
			return new ErnieReply(null, response.model(), null, Usage.of(response.usage()), false);
		}
		if (ErnieWire.forbidsDisplay(choice.flag())) {
			throw this.errors.contentFiltered("flag " + choice.flag());
		}
		Message content = chunk ? choice.delta() : choice.message();
		String text = (content != null) ? content.content() : null;
		String finishReason = ErnieWire.finishReason(choice.finishReason(), null, choice.needClearHistory(),
				choice.flag());
		if (finishReason == null && (!chunk || Boolean.TRUE.equals(choice.isEnd()))) {
			finishReason = "stop";
		}
		return new ErnieReply(text, response.model(), finishReason, Usage.of(response.usage()), !chunk);
	}

	@Override
	public RuntimeException fromStatus(int status, HttpHeaders headers, String body) {
		logger.debug("ERNIE v2 answered HTTP {}: {}", status, body);
		return this.errors.fromStatus(status, headers, body);
	}

	@Override
	public void rejected(Prepared attempt) {
		// v2 uses a static API key: nothing to refresh
	}

}
