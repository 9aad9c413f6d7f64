package io.chatrelay.provider.model.ernie;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ernie.ErnieWire.Message;
import io.chatrelay.provider.model.ernie.ErnieWire.Usage;
import io.chatrelay.provider.model.ernie.ErnieWire.V1Request;
import io.chatrelay.provider.model.ernie.ErnieWire.V1Response;
import io.chatrelay.provider.model.ernie.ErnieWire.VendorError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic Qianfan v1 ("wenxinworkshop"): {@code POST
 * {baseUrl}/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/<endpoint>?access_token=…} with the
 * system prompt in a top-level {@code system} field and {@link ErnieMessages#normalise
 * normalised} messages. Errors arrive with HTTP 200 as
 * {@code {"error_code":N,"error_msg":…}}, so every body and every stream event is checked
 * for them; a stream ends with an event carrying {@code is_end:true}, not {@code [DONE]}.
 *
 * <p>
 * The temperature is clamped into ERNIE's (0, 1] (0 is rejected by the vendor; callers
 * may send OpenAI's 0–2 range).
 */
final class ErnieV1Api implements ErnieApi {

	private static final Logger logger = LoggerFactory.getLogger(ErnieV1Api.class);

	static final String LABEL = "ERNIE v1";

	private static final String CHAT_PATH = "/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/";

	private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9._\\-]+");

	private final ErnieProperties properties;

	private final QianfanAccessTokens tokens;

	private final ErnieErrorMapper errors;

	ErnieV1Api(ErnieProperties properties, QianfanAccessTokens tokens, ErnieErrorMapper errors) {
		this.properties = properties;
		this.tokens = tokens;
		this.errors = errors;
	}

	@Override
	public String label() {
		return LABEL;
	}

	@Override
	public CompletableFuture<Prepared> prepare(ModelRequest request, boolean stream) {
		if (!this.properties.hasCredentials()) {
			return CompletableFuture.failedFuture(new ChatException(ChatErrorCode.UNAUTHORIZED,
					"ERNIE v1 access key/secret key pair is not configured"));
		}
		String endpoint = (request.model() != null && !request.model().isBlank()) ? request.model().strip()
				: this.properties.model();
		byte[] body;
		try {
			body = body(request, endpoint, stream);
		}
		catch (ChatException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		logger.debug("ERNIE v1 request: endpoint={}, messages={}, stream={}", endpoint, request.messages().size(),
				stream);
		return this.tokens.get().thenApply((token) -> {
			URI uri = URI.create(this.properties.baseUrl() + CHAT_PATH + endpoint + "?access_token="
					+ URLEncoder.encode(token, StandardCharsets.UTF_8));
			HttpRequest httpRequest = HttpRequest.newBuilder(uri)
				.timeout(stream ? this.properties.firstTokenTimeout() : this.properties.totalTimeout())
				.header("Content-Type", "application/json")
				.header("Accept", stream ? "text/event-stream, application/json" : "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build();
			return new Prepared(httpRequest, endpoint, token);
		});
	}

	private byte[] body(ModelRequest request, String endpoint, boolean stream) {
		if (!ENDPOINT.matcher(endpoint).matches()) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Invalid ERNIE v1 endpoint name");
		}
		List<ChatMessage> messages;
		String system;
		try {
			system = ErnieMessages.system(request.messages());
			messages = ErnieMessages.normalise(request.messages());
		}
		catch (IllegalArgumentException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Unsupported message role for ERNIE");
		}
		if (messages.isEmpty()) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "ERNIE needs at least one user message");
		}
		Double temperature = request.temperatureWithin(ErnieWire.MIN_TEMPERATURE, ErnieWire.MAX_TEMPERATURE);
		V1Request wire = new V1Request(messages.stream().map(Message::of).toList(), system, stream, temperature,
				request.maxTokens(), request.user());
		try {
			return ErnieWire.write(wire);
		}
		catch (JsonProcessingException ex) {
			throw new ChatException(ChatErrorCode.BAD_REQUEST, "Cannot encode the ERNIE v1 request");
		}
	}

	@Override
	public ErnieReply read(String json, HttpHeaders headers, boolean chunk) {
		VendorError error = ErnieWire.readError(json);
		if (error != null) {
			logger.debug("ERNIE v1 error body: {}", json);
			throw this.errors.fromError(error, headers);
		}
		V1Response response;
		try {
			response = ErnieWire.read(json, V1Response.class);
		}
		catch (IOException ex) {
			logger.debug("Unreadable ERNIE v1 {}: {}", chunk ? "stream event" : "response", json);
			throw new ChatException(ChatErrorCode.UNAVAILABLE,
					"ERNIE v1 sent an unreadable " + (chunk ? "stream event" : "response"));
		}
		if (ErnieWire.forbidsDisplay(response.flag())) {
			throw this.errors.contentFiltered("flag " + response.flag());
		}
		boolean last = !chunk || Boolean.TRUE.equals(response.isEnd());
		String finishReason = last ? ErnieWire.finishReason(response.finishReason(), response.isTruncated(),
				response.needClearHistory(), response.flag()) : null;
		if (last && finishReason == null) {
			finishReason = "stop";
		}
		if (!chunk && response.result() == null && !ErnieWire.CONTENT_FILTER.equals(finishReason)) {
			throw new ChatException(ChatErrorCode.UNAVAILABLE, "ERNIE v1 answered without a result");
		}
		return new ErnieReply(response.result(), null, finishReason, Usage.of(response.usage()), last);
	}

	@Override
	public RuntimeException fromStatus(int status, HttpHeaders headers, String body) {
		logger.debug("ERNIE v1 answered HTTP {}: {}", status, body);
		return this.errors.fromStatus(status, headers, body);
	}

	@Override
	public void rejected(Prepared attempt) {
		this.tokens.invalidate(attempt.accessToken());
	}

}
