package io.chatrelay.provider.model.ernie;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.ernie.ErnieApi.ErnieReply;
import io.chatrelay.provider.model.ernie.ErnieApi.Prepared;
import io.chatrelay.provider.model.ernie.ErnieErrorMapper.TokenRejected;
import io.chatrelay.provider.model.http.BodyReader;
import io.chatrelay.provider.model.http.SseHttpStream;
import io.chatrelay.provider.model.http.SseParser;
import io.chatrelay.provider.model.http.TransportFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running ERNIE stream (v1 or v2) on the shared {@link SseHttpStream} transport,
 * which owns the timers, the cancel and the exchanges; this class adds what is ERNIE's:
 *
 * <ul>
 * <li>the request is built by {@link ErnieApi#prepare}, which for v1 first obtains an
 * access token (inside the first-token time);</li>
 * <li>the body is read by an {@link ErnieBodyReader}: SSE events, or the plain JSON error
 * (HTTP 200) with which v1 may answer {@code stream=true};</li>
 * <li>the stream ends at v1's {@code is_end:true}, at v2's {@code [DONE]}, or when the
 * body ends after a finish reason;</li>
 * <li>a rejected v1 access token (110/111) before any delta refreshes the token and sends
 * the request once more ({@link #restartOnce}).</li>
 * </ul>
 */
final class ErnieStream extends SseHttpStream {

	private static final Logger logger = LoggerFactory.getLogger(ErnieStream.class);

	private final ErnieApi api;

	private final ErnieErrorMapper errors;

	private final ModelRequest request;

	private volatile Prepared prepared;

	// Written from the serial subscriber callbacks of one exchange at a time.
	private volatile String model;

	private volatile String finishReason;

	private volatile TokenUsage usage = TokenUsage.UNKNOWN;

	ErnieStream(ModelStreamListener listener, ErnieApi api, ErnieErrorMapper errors, ModelRequest request) {
		super(listener, api.label());
		this.api = api;
		this.errors = errors;
		this.request = request;
	}

	void start(HttpClient client, Duration firstTokenTimeout, Duration totalTimeout) {
		start(client, this::prepare, firstTokenTimeout, totalTimeout);
	}

	private CompletableFuture<HttpRequest> prepare() {
		return this.api.prepare(this.request, true).thenApply((next) -> {
			this.prepared = next;
			this.model = next.model();
			return next.httpRequest();
		});
	}

	@Override
	protected ChatException mapFailure(Throwable failure) {
		return this.errors.fromThrowable(failure);
	}

	@Override
	protected RuntimeException mapErrorResponse(HttpResponse<String> response) {
		return this.api.fromStatus(response.statusCode(), response.headers(), response.body());
	}

	@Override
	protected BodyReader bodyReader(SseParser.Listener events) {
		return new ErnieBodyReader(new ErnieBodyReader.Listener() {

			@Override
			public void onData(String data) {
				events.onData(data);
			}

			@Override
			public void onDone() {
				events.onDone();
			}

			/**
			 * A plain JSON body: an error, or (a vendor ignoring stream=true) a whole
			 * answer.
			 */
			@Override
			public void onJson(String json) {
				onDocument(json, false);
			}

		});
	}

	@Override
	protected boolean restartOnce(Throwable failure) {
		if (!(TransportFailures.unwrap(failure) instanceof TokenRejected)) {
			return false;
		}
		logger.debug("{} rejected the access token; refreshing it and resending once", this.api.label());
		this.api.rejected(this.prepared);
		return true;
	}

	@Override
	protected void onEvent(String data) {
		onDocument(data, true);
	}

	/**
	 * Read one document; a vendor error (or a rejected token) is thrown to the transport,
	 * which ends the exchange with it.
	 */
	private void onDocument(String json, boolean chunk) {
		ErnieReply reply = this.api.read(json, headers(), chunk);
		if (reply.model() != null) {
			this.model = reply.model();
		}
		if (reply.usage() != null) {
			this.usage = reply.usage();
		}
		if (reply.finishReason() != null) {
			this.finishReason = reply.finishReason();
		}
		delta(reply.text());
		if (reply.last() && isOpen()) {
			complete();
		}
	}

	@Override
	protected boolean finished() {
		return this.finishReason != null;
	}

	@Override
	protected void complete() {
		if (ErnieWire.CONTENT_FILTER.equals(this.finishReason) && !delivered()) {
			fail(this.errors.contentFiltered(ErnieWire.CONTENT_FILTER));
			return;
		}
		finish(this.model, (this.finishReason != null) ? this.finishReason : "stop", this.usage);
	}

}
