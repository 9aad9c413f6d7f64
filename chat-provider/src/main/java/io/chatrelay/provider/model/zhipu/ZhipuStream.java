package io.chatrelay.provider.model.zhipu;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.Locale;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.http.SseHttpStream;
import io.chatrelay.provider.model.zhipu.ZhipuWire.Choice;
import io.chatrelay.provider.model.zhipu.ZhipuWire.Completion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Zhipu stream on the shared {@link SseHttpStream} transport (whose parser
 * also splits the doc-style events written without blank lines between them).
 *
 * <p>
 * Zhipu specifics: usage comes in the chunk that carries {@code finish_reason}; a data
 * event holding {@code {"error":…}} ends the stream with the mapped error; the finish
 * reasons {@code sensitive} and {@code network_error} end it at once with
 * {@code CONTENT_FILTERED} and {@code UNAVAILABLE} (see
 * {@link ZhipuErrorMapper#fromFinishReason}); the text of that last chunk is not
 * delivered.
 */
final class ZhipuStream extends SseHttpStream {

	private static final Logger logger = LoggerFactory.getLogger(ZhipuStream.class);

	private final ZhipuErrorMapper errors;

	// Written only from the serial subscriber callbacks.
	private String model;

	private String finishReason;

	private TokenUsage usage = TokenUsage.UNKNOWN;

	private boolean sawText;

	ZhipuStream(ModelStreamListener listener, ZhipuErrorMapper errors, String requestedModel) {
		super(listener, "Zhipu");
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

	/**
	 * Zhipu may answer a stream request with a plain JSON error and status 200: read that
	 * whole, like error statuses.
	 */
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
		ZhipuWire.ErrorBody error = ZhipuWire.readError(response.body());
		return (error != null) ? this.errors.fromErrorObject(error, response.headers())
				: super.mapWholeAnswer(response);
	}

	@Override
	protected void onEvent(String data) {
		Completion chunk;
		try {
			chunk = ZhipuWire.readCompletion(data);
		}
		catch (IOException ex) {
			logger.debug("Unreadable Zhipu stream event: {}", data);
			fail(new ChatException(ChatErrorCode.UNAVAILABLE, "Zhipu sent an unreadable stream event"));
			return;
		}
		if (chunk.error() != null) {
			logger.debug("Zhipu stream error event: {}", data);
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
			ChatException abnormal = this.errors.fromFinishReason(this.finishReason, this.sawText);
			if (abnormal != null) {
				logger.debug("Zhipu stream {} ended with finish_reason {}", chunk.id(), this.finishReason);
				fail(abnormal);
				return;
			}
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
		finish(this.model, (this.finishReason != null) ? this.finishReason : "stop", this.usage);
	}

}
