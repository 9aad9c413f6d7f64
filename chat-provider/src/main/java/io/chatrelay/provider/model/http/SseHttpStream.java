package io.chatrelay.provider.model.http;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
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
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport of one server-sent-event stream from a vendor: subscribes to the response
 * body line by line (no thread waits on I/O), feeds an {@link SseParser}, runs the
 * first-event and total timers, and ends through a {@link StreamDelivery}, so the
 * listener sees exactly one terminal call whichever of the body, an error, a timer or
 * {@link #cancel()} comes first. Subclasses only read their vendor's events.
 *
 * <p>
 * Timers use {@link CompletableFuture#orTimeout}, i.e. the JDK's one shared daemon delay
 * scheduler; completing the timer futures when the stream ends cancels the scheduled
 * tasks. Timeout handling hops to the default async pool so listener code never runs on
 * the scheduler thread.
 */
public abstract class SseHttpStream implements ModelStream, Flow.Subscriber<String>, SseParser.Listener {

	private static final Logger logger = LoggerFactory.getLogger(SseHttpStream.class);

	private static final Flow.Subscription CANCELLED = new Flow.Subscription() {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	};

	private final StreamDelivery delivery;

	private final String vendor;

	private final SseParser parser = new SseParser(this);

	private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

	private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();

	private final CompletableFuture<Void> deadline = new CompletableFuture<>();

	private volatile CompletableFuture<?> exchange;

	private volatile HttpHeaders headers;

	/**
	 * Create a stream.
	 * @param listener receives the stream
	 * @param vendor the vendor's name for messages ({@code OpenAI}, {@code Zhipu})
	 */
	protected SseHttpStream(ModelStreamListener listener, String vendor) {
		this.delivery = new StreamDelivery(listener);
		this.vendor = vendor;
	}

	/**
	 * Send the request and start reading.
	 * @param client the vendor's HTTP client
	 * @param request the streaming request
	 * @param firstTokenTimeout the longest wait for the first event
	 * @param totalTimeout the longest wait for the whole stream
	 */
	public void start(HttpClient client, HttpRequest request, Duration firstTokenTimeout, Duration totalTimeout) {
		arm(this.firstEvent, firstTokenTimeout, this.vendor + " sent no stream event within ");
		arm(this.deadline, totalTimeout, this.vendor + " stream did not finish within ");
		CompletableFuture<HttpResponse<String>> call;
		try {
			call = client.sendAsync(request, this::bodySubscriber);
		}
		catch (RuntimeException ex) {
			fail(mapFailure(ex));
			return;
		}
		this.exchange = call;
		call.whenComplete(this::onExchangeDone);
		if (!this.delivery.isOpen()) {
			call.cancel(true);
		}
	}

	@Override
	public void cancel() {
		if (this.delivery.close()) {
			logger.debug("{} stream cancelled by the caller", this.vendor);
			release(true);
		}
	}

	/**
	 * End with an error; also used before {@link #start} for fail-fast errors.
	 * @param error the mapped error
	 */
	public void fail(ChatException error) {
		if (this.delivery.fail(error)) {
			logger.debug("{} stream failed: {}", this.vendor, error.toString());
			release(true);
		}
	}

	/**
	 * Map a transport failure (the vendor's error mapper).
	 * @param failure what the HTTP client reported
	 * @return the error to end with
	 */
	protected abstract ChatException mapFailure(Throwable failure);

	/**
	 * Map an answer with a non-2xx status.
	 * @param response the answer, read whole
	 * @return the error to end with
	 */
	protected abstract ChatException mapErrorResponse(HttpResponse<String> response);

	/**
	 * Whether to read this answer whole instead of as an event stream; by default only
	 * non-2xx answers.
	 * @param info status and headers
	 * @return {@code true} to read it whole
	 */
	protected boolean readWhole(ResponseInfo info) {
		return info.statusCode() / 100 != 2;
	}

	/**
	 * Map a 2xx answer that {@link #readWhole} chose to read whole.
	 * @param response the answer
	 * @return the error to end with
	 */
	protected ChatException mapWholeAnswer(HttpResponse<String> response) {
		return new ChatException(ChatErrorCode.UNAVAILABLE,
				this.vendor + " answered a stream request without a stream");
	}

	/**
	 * One non-blank data event while the stream is open.
	 * @param data the event's data
	 */
	protected abstract void onEvent(String data);

	/**
	 * Whether the vendor said how the answer finished, so the end of the body is a normal
	 * end.
	 * @return {@code true} once a finish was seen
	 */
	protected abstract boolean finished();

	/**
	 * End normally (after {@code [DONE]}, or at the end of the body once
	 * {@link #finished()}), typically by calling {@link #finish}.
	 */
	protected abstract void complete();

	/**
	 * Whether the listener may still be called.
	 * @return {@code false} after an end or a cancel
	 */
	protected final boolean isOpen() {
		return this.delivery.isOpen();
	}

	/**
	 * The response headers, once they arrived.
	 * @return the headers, or {@code null} before
	 */
	protected final HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * Deliver a piece of text.
	 * @param text the delta
	 */
	protected final void delta(String text) {
		if (!this.delivery.delta(text)) {
			release(true);
		}
	}

	/**
	 * End normally.
	 * @param model the model that answered
	 * @param finishReason the finish reason
	 * @param usage tokens billed
	 */
	protected final void finish(String model, String finishReason, TokenUsage usage) {
		if (this.delivery.complete(model, finishReason, usage)) {
			release(false);
		}
	}

	private BodySubscriber<String> bodySubscriber(ResponseInfo info) {
		this.headers = info.headers();
		if (readWhole(info)) {
			return BodySubscribers.ofString(StandardCharsets.UTF_8);
		}
		return BodySubscribers.fromLineSubscriber(this, (self) -> null, StandardCharsets.UTF_8, null);
	}

	private void onExchangeDone(HttpResponse<String> response, Throwable failure) {
		if (failure != null) {
			// After an end or a cancel the exchange is aborted on purpose: nothing to
			// map.
			if (this.delivery.isOpen()) {
				fail(mapFailure(failure));
			}
		}
		else if (response.statusCode() / 100 != 2) {
			logger.debug("{} stream answered HTTP {}: {}", this.vendor, response.statusCode(), response.body());
			fail(mapErrorResponse(response));
		}
		else if (response.body() != null) {
			logger.debug("{} answered a stream request with a whole body: {}", this.vendor, response.body());
			fail(mapWholeAnswer(response));
		}
	}

	@Override
	public void onSubscribe(Flow.Subscription s) {
		if (this.subscription.compareAndSet(null, s)) {
			s.request(1);
		}
		else {
			s.cancel();
		}
	}

	@Override
	public void onNext(String line) {
		if (this.delivery.isOpen()) {
			this.parser.line(line);
		}
		// Keep reading after a normal end so the connection can be reused; an aborted
		// stream holds the no-op CANCELLED subscription here.
		this.subscription.get().request(1);
	}

	@Override
	public void onError(Throwable failure) {
		if (this.delivery.isOpen()) {
			fail(mapFailure(failure));
		}
	}

	@Override
	public void onComplete() {
		this.parser.end();
		if (finished()) {
			complete();
		}
		else {
			fail(new ChatException(ChatErrorCode.UNAVAILABLE, this.vendor + " stream ended early"));
		}
	}

	@Override
	public void onData(String data) {
		this.firstEvent.complete(null);
		if (!data.isBlank() && this.delivery.isOpen()) {
			onEvent(data);
		}
	}

	@Override
	public void onDone() {
		this.firstEvent.complete(null);
		complete();
	}

	private void arm(CompletableFuture<Void> timer, Duration timeout, String what) {
		timer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyAsync((ex) -> {
			if (ex instanceof TimeoutException) {
				fail(new ChatException(ChatErrorCode.TIMEOUT, what + timeout));
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
		if (abort) {
			Flow.Subscription current = this.subscription.getAndSet(CANCELLED);
			if (current != null) {
				current.cancel();
			}
			CompletableFuture<?> call = this.exchange;
			if (call != null) {
				call.cancel(true);
			}
		}
	}

}
