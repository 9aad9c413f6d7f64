package io.chatrelay.provider.model.compat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.Locale;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.compat.CompatWire.Choice;
import io.chatrelay.provider.model.compat.CompatWire.Completion;
import io.chatrelay.provider.model.compat.CompatWire.Reply;
import io.chatrelay.provider.model.http.SseHttpStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running chat-completions stream on the shared {@link SseHttpStream} transport
 * (whose parser also splits Zhipu's doc-style events written without blank lines between
 * them).
 *
 * <p>
 * Usage is taken from whichever chunk carries it (OpenAI's {@code include_usage} tail
 * with empty {@code choices}, Zhipu's finishing chunk). A data event holding
 * {@code {"error":…}} ends the stream with the mapped error; so does a vendor-specific
 * abnormal finish reason ({@link CompatErrorMapper#fromFinishReason}), in which case the
 * text of that last chunk is not delivered. A {@code refusal} delta (OpenAI) is delivered
 * as text, as a whole answer's refusal stands in for its content. A vendor answering a
 * stream request with a plain JSON error and status 200 (Zhipu does) has it read whole
 * and mapped.
 */
final class CompatStream extends SseHttpStream {

	private static final Logger logger = LoggerFactory.getLogger(CompatStream.class);

	private final String label;

	private final CompatErrorMapper errors;

	// Written only from the serial subscriber callbacks.
	private String model;

	private String finishReason;

	private TokenUsage usage = TokenUsage.UNKNOWN;

	CompatStream(ModelStreamListener listener, String label, CompatErrorMapper errors, String requestedModel) {
		super(listener, label);
		this.label = label;
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
	protected boolean readWhole(ResponseInfo info) {
		boolean json = info.headers()
			.firstValue("Content-Type")
			.map((type) -> type.toLowerCase(Locale.ROOT).startsWith("application/json"))
			.orElse(false);
		return super.readWhole(info) || json;
	}

	@Override
	protected ChatException mapWholeAnswer(HttpResponse<String> response) {
		CompatError error = CompatWire.readError(response.body());
		return (error != null) ? this.errors.fromErrorObject(error, response.headers())
				: super.mapWholeAnswer(response);
	}

	@Override
	protected void onEvent(String data) {
		Completion chunk;
		try {
			chunk = CompatWire.readCompletion(data);
		}
		catch (IOException ex) {
			logger.debug("Unreadable {} stream event: {}", this.label, data);
			fail(new ChatException(ChatErrorCode.UNAVAILABLE, this.label + " sent an unreadable stream event"));
			return;
		}
		if (chunk.error() != null) {
			logger.debug("{} stream error event: {}", this.label, data);
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
			ChatException abnormal = this.errors.fromFinishReason(this.finishReason, delivered());
			if (abnormal != null) {
				logger.debug("{} stream {} ended with finish_reason {}", this.label, chunk.id(), this.finishReason);
				fail(abnormal);
				return;
			}
		}
		Reply reply = choice.delta();
		String text = (reply == null) ? null : (reply.content() != null) ? reply.content() : reply.refusal();
		delta(text);
	}

	@Override
	protected boolean finished() {
		return this.finishReason != null;
	}

	@Override
	protected void complete() {
		if ("content_filter".equals(this.finishReason) && !delivered()) {
			fail(CompatChatModel.filtered(this.label));
			return;
		}
		finish(this.model, (this.finishReason != null) ? this.finishReason : "stop", this.usage);
	}

}
