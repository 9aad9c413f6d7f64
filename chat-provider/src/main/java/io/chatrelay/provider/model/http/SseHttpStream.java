package io.chatrelay.provider.model.http;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.ResponseInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport of one streamed answer from a vendor: subscribes to the response body
 * line by line (no thread waits on I/O), feeds a {@link BodyReader} (by default
 * {@link BodyReader#serverSentEvents}), runs the first-event and total timers, and ends
 * through a {@link StreamDelivery}, so the listener sees exactly one terminal call
 * whichever of the body, an error, a timer or {@link #cancel()} comes first. Subclasses
 * only read their vendor's events.
 *
 * <p>
 * Two hooks serve vendors whose streams are not plain server-sent events:
 * {@link #bodyReader} replaces the reader of a 2xx body (ERNIE v1 may answer a stream
 * request with one plain JSON document), and {@link #restartOnce} lets a vendor send the
 * request once more when an exchange fails before any delta (ERNIE v1 refreshes a
 * rejected access token). Each HTTP exchange is one {@link SseExchange}; callbacks of an
 * abandoned exchange are ignored. The request may be built asynchronously
 * ({@link #start(HttpClient, Supplier, Duration, Duration)}), and is built again for a
 * restart.
 *
 * <p>
 * Timers use {@link CompletableFuture#orTimeout}, i.e. the JDK's one shared daemon delay
 * scheduler; completing the timer futures when the stream ends cancels the scheduled
 * tasks. Timeout handling hops to the default async pool so listener code never runs on
 * the scheduler thread. Both timers run from {@link #start} over every exchange of the
 * stream, a restart included.
 */
public abstract class SseHttpStream implements ModelStream {

	private static final Logger logger = LoggerFactory.getLogger(SseHttpStream.class);

	private final StreamDelivery delivery;

	private final String vendor;

	private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();

	private final CompletableFuture<Void> deadline = new CompletableFuture<>();

	private final AtomicReference<SseExchange> current = new AtomicReference<>();

	private final AtomicBoolean restartOffered = new AtomicBoolean();

	private volatile HttpClient client;

	private volatile Supplier<CompletableFuture<HttpRequest>> requests;

	private volatile boolean delivered;

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
		start(client, () -> CompletableFuture.completedFuture(request), firstTokenTimeout, totalTimeout);
	}

	/**
	 * Build the request, send it and start reading; the timers include the building.
	 * @param client the vendor's HTTP client
	 * @param requests builds the streaming request (again for a restart); a failed future
	 * ends the stream through {@link #mapFailure}
	 * @param firstTokenTimeout the longest wait for the first event
	 * @param totalTimeout the longest wait for the whole stream
	 */
	public void start(HttpClient client, Supplier<CompletableFuture<HttpRequest>> requests, Duration firstTokenTimeout,
			Duration totalTimeout) {
		this.client = client;
		this.requests = requests;
		arm(this.firstEvent, firstTokenTimeout, this.vendor + " sent no stream event within ");
		arm(this.deadline, totalTimeout, this.vendor + " stream did not finish within ");
		send();
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
	 * Map a failure that is not yet a {@link ChatException} (the vendor's error mapper):
	 * what the HTTP client reported, or what {@link #mapErrorResponse} or an event
	 * returned or threw.
	 * @param failure the failure
	 * @return the error to end with
	 */
	protected abstract ChatException mapFailure(Throwable failure);

	/**
	 * Map an answer with a non-2xx status.
	 * @param response the answer, read whole
	 * @return the failure: a {@link ChatException}, or anything {@link #restartOnce} or
	 * {@link #mapFailure} understands
	 */
	protected abstract RuntimeException mapErrorResponse(HttpResponse<String> response);

	/**
	 * Whether to read this answer whole instead of line by line; by default only non-2xx
	 * answers.
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
	 * The reader of one 2xx body read line by line; by default an {@link SseParser}.
	 * Whatever it (or the events it reports) throws fails the exchange like an error
	 * answer.
	 * @param events where to report data events and {@code [DONE]}
	 * @return a new reader for one exchange
	 */
	protected BodyReader bodyReader(SseParser.Listener events) {
		return BodyReader.serverSentEvents(events);
	}

	/**
	 * Whether to send the request once more after this exchange failed. Asked at most
	 * once per stream, only while no delta was delivered; returning {@code true} means
	 * the vendor prepared the resend (e.g. forgot a rejected token), and the request is
	 * built again through the supplier given to {@link #start}. By default never.
	 * @param failure what the exchange failed with, unmapped
	 * @return {@code true} to restart
	 */
	protected boolean restartOnce(Throwable failure) {
		return false;
	}

	/**
	 * One non-blank data event while the stream is open; it may throw to fail the
	 * exchange.
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
	 * Whether some text was delivered already.
	 * @return {@code true} after the first non-empty delta
	 */
	protected final boolean delivered() {
		return this.delivered;
	}

	/**
	 * The response headers of the current exchange, once they arrived.
	 * @return the headers, or {@code null} before
	 */
	protected final HttpHeaders headers() {
		SseExchange exchange = this.current.get();
		return (exchange != null) ? exchange.headers() : null;
	}

	/**
	 * Deliver a piece of text.
	 * @param text the delta
	 */
	protected final void delta(String text) {
		if (text != null && !text.isEmpty()) {
			this.delivered = true;
		}
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

	/**
	 * Whether an exchange is the one this stream reads, and the stream still open.
	 */
	boolean reads(SseExchange exchange) {
		return this.current.get() == exchange && this.delivery.isOpen();
	}

	/**
	 * The name for messages.
	 */
	String vendor() {
		return this.vendor;
	}

	/**
	 * A data event or {@code [DONE]} arrived: the first-event timer has done its job.
	 */
	void eventArrived() {
		this.firstEvent.complete(null);
	}

	private void send() {
		CompletableFuture<HttpRequest> request;
		try {
			request = this.requests.get();
		}
		catch (RuntimeException ex) {
			request = CompletableFuture.failedFuture(ex);
		}
		request.whenComplete((built, failure) -> {
			if (failure != null) {
				fail(mapFailure(failure));
			}
			else if (this.delivery.isOpen()) {
				exchange(built);
			}
		});
	}

	private void exchange(HttpRequest request) {
		SseExchange exchange = new SseExchange(this);
		this.current.set(exchange);
		CompletableFuture<HttpResponse<String>> call;
		try {
			call = this.client.sendAsync(request, exchange::bodySubscriber);
		}
		catch (RuntimeException ex) {
			fail(mapFailure(ex));
			return;
		}
		exchange.sent(call);
	}

	/**
	 * An exchange failed: restart once if the vendor asks for it and nothing was
	 * delivered yet, else end with the mapped error.
	 */
	void exchangeFailed(SseExchange exchange, Throwable failure) {
		if (!this.delivered && this.restartOffered.compareAndSet(false, true) && restartOnce(failure)) {
			exchange.abort();
			send();
			return;
		}
		fail((failure instanceof ChatException chat) ? chat : mapFailure(failure));
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
		SseExchange exchange = this.current.get();
		if (abort && exchange != null) {
			exchange.abort();
		}
	}

}
