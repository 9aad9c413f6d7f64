package io.chatrelay.provider.model.openai;

import java.io.IOException;
import java.net.http.HttpResponse;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.http.SseHttpStream;
import io.chatrelay.provider.model.openai.OpenAiWire.Choice;
import io.chatrelay.provider.model.openai.OpenAiWire.Completion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running OpenAI stream: reads chat-completion chunks (including the
 * {@code include_usage} tail with empty {@code choices} and {@code {"error":…}} events)
 * on the shared {@link SseHttpStream} transport.
 */
final class OpenAiStream extends SseHttpStream {

	private static final Logger logger = LoggerFactory.getLogger(OpenAiStream.class);

	private final OpenAiErrorMapper errors;

	// Written only from the serial subscriber callbacks.
	private String model;

	private String finishReason;

	private TokenUsage usage = TokenUsage.UNKNOWN;

	private boolean sawText;

	OpenAiStream(ModelStreamListener listener, OpenAiErrorMapper errors, String requestedModel) {
		super(listener, "OpenAI");
		this.errors = errors;
		this.model = requestedModel;
	}

	@Override
	protected ChatException mapFailure(Throwable failure) {
		return this.errors.fromThrowable(failure);
	}

	@Override
	protected ChatException mapErrorResponse(HttpResponse<String> response) {
		return this.errors.fromResponse(response.statusCode(), response.headers(), response.body());
	}

	@Override
	protected void onEvent(String data) {
		Completion chunk;
		try {
			chunk = OpenAiWire.readCompletion(data);
		}
		catch (IOException ex) {
			logger.debug("Unreadable OpenAI stream event: {}", data);
			fail(new ChatException(ChatErrorCode.UNAVAILABLE, "OpenAI sent an unreadable stream event"));
			return;
		}
		if (chunk.error() != null) {
			logger.debug("OpenAI stream error event: {}", data);
			fail(this.errors.fromErrorObject(chunk.error(), headers()));
			return;
		}
		if (chunk.model() != null) {
			this.model = chunk.model();
		}
		if (chunk.usage() != null) {
			this.usage = chunk.usage().toTokenUsage();
		}
		Choice choice = chunk.firstChoice();
		if (choice == null) {
			return;
		}
		if (choice.finishReason() != null) {
			this.finishReason = choice.lowerCaseFinishReason();
		}
		String text = (choice.delta() != null) ? choice.delta().content() : null;
		if (text != null && !text.isEmpty()) {
			this.sawText = true;
			delta(text);
		}
	}

	@Override
	protected boolean finished() {
		return this.finishReason != null;
	}

	@Override
	protected void complete() {
		if ("content_filter".equals(this.finishReason) && !this.sawText) {
			fail(new ChatException(ChatErrorCode.CONTENT_FILTERED, "OpenAI filtered the answer (content_filter)"));
			return;
		}
		finish(this.model, (this.finishReason != null) ? this.finishReason : "stop", this.usage);
	}

}
