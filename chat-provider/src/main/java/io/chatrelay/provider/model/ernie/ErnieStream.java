package io.chatrelay.provider.model.ernie;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.model.ernie.ErnieApi.ErnieReply;
import io.chatrelay.provider.model.ernie.ErnieApi.Prepared;
import io.chatrelay.provider.model.ernie.ErnieErrorMapper.TokenRejected;
import io.chatrelay.provider.model.http.StreamDelivery;
import io.chatrelay.provider.model.http.TransportFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running ERNIE stream (v1 or v2): reads the response body line by line (no thread
 * waits on I/O) and turns events into listener calls through a {@link StreamDelivery}, so
 * the listener sees exactly one terminal call whichever of the body, an error, a timer or
 * {@link #cancel()} comes first.
 *
 * <p>
 * The body is read by an {@link ErnieBodyReader}: SSE events, or the plain JSON error
 * (HTTP 200) with which v1 may answer {@code stream=true}. The stream ends at v1's
 * {@code is_end:true}, at v2's {@code [DONE]}, or when the body ends after a finish
 * reason. A rejected v1 access token (110/111) before any delta refreshes the token and
 * restarts the request once, as a new {@link Attempt}; callbacks of an abandoned attempt
 * are ignored.
 *
 * <p>
 * Timers use {@link CompletableFuture#orTimeout}; timeout handling hops to the default
 * async pool so listener code never runs on the JDK's delay scheduler thread.
 */
final class ErnieStream implements ModelStream {

	private static final Logger logger = LoggerFactory.getLogger(ErnieStream.class);

	private final StreamDelivery delivery;

	private final ErnieApi api;

	private final ErnieErrorMapper errors;

	private final HttpClient client;

	private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();

	private final CompletableFuture<Void> deadline = new CompletableFuture<>();

	private final AtomicReference<Attempt> current = new AtomicReference<>();

	private volatile String model;

	private volatile String finishReason;

	private volatile TokenUsage usage = TokenUsage.UNKNOWN;

	private volatile boolean sawText;

	ErnieStream(ModelStreamListener listener, ErnieApi api, ErnieErrorMapper errors, HttpClient client) {
		this.delivery = new StreamDelivery(listener);
		this.api = api;
		this.errors = errors;
		this.client = client;
	}

	void start(ModelRequest request, Duration firstTokenTimeout, Duration totalTimeout) {
		arm(this.firstEvent, firstTokenTimeout, " sent no stream event within ");
		arm(this.deadline, totalTimeout, " stream did not finish within ");
		begin(request, false);
	}

	private void begin(ModelRequest request, boolean retried) {
		this.api.prepare(request, true).whenComplete((prepared, failure) -> {
			if (failure != null) {
				fail(failure);
			}
			else if (this.delivery.isOpen()) {
				send(request, prepared, retried);
			}
		});
	}

	private void send(ModelRequest request, Prepared prepared, boolean retried) {
		Attempt attempt = new Attempt(request, prepared, retried);
		this.current.set(attempt);
		this.model = prepared.model();
		CompletableFuture<HttpResponse<String>> call;
		try {
			call = this.client.sendAsync(prepared.httpRequest(), attempt::bodySubscriber);
		}
		catch (RuntimeException ex) {
			fail(ex);
			return;
		}
		attempt.exchange = call;
		call.whenComplete(attempt::onExchangeDone);
		if (!this.delivery.isOpen() || this.current.get() != attempt) {
			call.cancel(true);
		}
	}

	@Override
	public void cancel() {
		if (this.delivery.close()) {
			logger.debug("{} stream cancelled by the caller", this.api.label());
			release(true);
		}
	}

	/**
	 * End with an error, mapped once.
	 * @param failure a {@code ChatException}, a {@code TokenRejected} or a transport
	 * failure
	 */
	private void fail(Throwable failure) {
		ChatException error = this.errors.fromThrowable(failure);
		if (this.delivery.fail(error)) {
			logger.debug("{} stream failed: {}", this.api.label(), error.toString());
			release(true);
		}
	}

	/**
	 * An attempt failed before or while streaming: resend once on a rejected access token
	 * if nothing was delivered yet, else end with the error.
	 */
	private void attemptFailed(Attempt attempt, Throwable failure) {
		Throwable cause = TransportFailures.unwrap(failure);
		if (cause instanceof TokenRejected && !attempt.retried && !this.sawText
				&& this.current.compareAndSet(attempt, null)) {
			logger.debug("{} rejected the access token; refreshing it and resending once", this.api.label());
			attempt.abort();
			this.api.rejected(attempt.prepared);
			begin(attempt.request, true);
			return;
		}
		fail(cause);
	}

	private void onReply(ErnieReply reply) {
		if (reply.model() != null) {
			this.model = reply.model();
		}
		if (reply.usage() != null) {
			this.usage = reply.usage();
		}
		if (reply.finishReason() != null) {
			this.finishReason = reply.finishReason();
		}
		String text = reply.text();
		if (text != null && !text.isEmpty()) {
			this.sawText = true;
			if (!this.delivery.delta(text)) {
				release(true);
				return;
			}
		}
		if (reply.last()) {
			complete();
		}
	}

	private void complete() {
		if (ErnieWire.CONTENT_FILTER.equals(this.finishReason) && !this.sawText) {
			fail(this.errors.contentFiltered(ErnieWire.CONTENT_FILTER));
			return;
		}
		String finish = (this.finishReason != null) ? this.finishReason : "stop";
		if (this.delivery.complete(this.model, finish, this.usage)) {
			release(false);
		}
	}

	private void arm(CompletableFuture<Void> timer, Duration timeout, String what) {
		timer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyAsync((ex) -> {
			if (ex instanceof TimeoutException) {
				fail(new ChatException(ChatErrorCode.TIMEOUT, this.api.label() + what + timeout));
			}
			return null;
		});
	}

	/**
	 * Stop the timers and, unless the body ended normally, abort the HTTP exchange.
	 */
	private void release(boolean abort) {
		this.firstEvent.complete(null);
		this.deadline.complete(null);
		Attempt attempt = this.current.get();
		if (abort && attempt != null) {
			attempt.abort();
		}
	}

	/**
	 * One HTTP exchange of this stream; its subscriber callbacks arrive serially.
	 */
	private final class Attempt implements Flow.Subscriber<String>, ErnieBodyReader.Listener {

		private final ModelRequest request;

		private final Prepared prepared;

		private final boolean retried;

		private final ErnieBodyReader body = new ErnieBodyReader(this);

		private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

		private volatile CompletableFuture<?> exchange;

		private volatile boolean aborted;

		private volatile HttpHeaders headers;

		Attempt(ModelRequest request, Prepared prepared, boolean retried) {
			this.request = request;
			this.prepared = prepared;
			this.retried = retried;
		}

		private boolean active() {
			return !this.aborted && ErnieStream.this.current.get() == this && ErnieStream.this.delivery.isOpen();
		}

		BodySubscriber<String> bodySubscriber(ResponseInfo info) {
			this.headers = info.headers();
			if (info.statusCode() / 100 == 2) {
				return BodySubscribers.fromLineSubscriber(this, (self) -> null, StandardCharsets.UTF_8, null);
			}
			return BodySubscribers.ofString(StandardCharsets.UTF_8);
		}

		void onExchangeDone(HttpResponse<String> response, Throwable failure) {
			if (!active()) {
				return;
			}
			if (failure != null) {
				attemptFailed(this, failure);
			}
			else if (response.statusCode() / 100 != 2) {
				attemptFailed(this,
						ErnieStream.this.api.fromStatus(response.statusCode(), response.headers(), response.body()));
			}
		}

		@Override
		public void onSubscribe(Flow.Subscription s) {
			if (this.subscription.compareAndSet(null, s) && !this.aborted) {
				s.request(1);
			}
			else {
				s.cancel();
			}
		}

		@Override
		public void onNext(String line) {
			if (this.aborted) {
				return;
			}
			if (active() && !this.body.line(line)) {
				attemptFailed(this, new ChatException(ChatErrorCode.UNAVAILABLE,
						ErnieStream.this.api.label() + " sent an oversized response"));
			}
			// Keep reading after a normal end so the connection can be reused.
			Flow.Subscription s = this.subscription.get();
			if (s != null && !this.aborted) {
				s.request(1);
			}
		}

		@Override
		public void onError(Throwable failure) {
			if (active()) {
				attemptFailed(this, failure);
			}
		}

		@Override
		public void onComplete() {
			if (!active()) {
				return;
			}
			this.body.end();
			if (!active()) {
				return;
			}
			if (ErnieStream.this.finishReason != null) {
				complete();
			}
			else {
				attemptFailed(this, new ChatException(ChatErrorCode.UNAVAILABLE,
						ErnieStream.this.api.label() + " stream ended early"));
			}
		}

		@Override
		public void onData(String data) {
			if (!data.isBlank() && active()) {
				onDocument(data, true);
			}
		}

		/**
		 * A plain JSON body: an error, or (a vendor ignoring stream=true) a whole answer.
		 */
		@Override
		public void onJson(String json) {
			onDocument(json, false);
		}

		private void onDocument(String json, boolean chunk) {
			ErnieReply reply;
			try {
				reply = ErnieStream.this.api.read(json, this.headers, chunk);
			}
			catch (RuntimeException ex) {
				attemptFailed(this, ex);
				return;
			}
			ErnieStream.this.firstEvent.complete(null);
			onReply(reply);
		}

		@Override
		public void onDone() {
			ErnieStream.this.firstEvent.complete(null);
			if (active()) {
				complete();
			}
		}

		void abort() {
			this.aborted = true;
			Flow.Subscription s = this.subscription.get();
			if (s != null) {
				s.cancel();
			}
			CompletableFuture<?> call = this.exchange;
			if (call != null) {
				call.cancel(true);
			}
		}

	}

}
