package io.chatrelay.provider.model.zhipu;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
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
import io.chatrelay.provider.model.SseParser;
import io.chatrelay.provider.model.StreamDelivery;
import io.chatrelay.provider.model.zhipu.ZhipuWire.Choice;
import io.chatrelay.provider.model.zhipu.ZhipuWire.Completion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Zhipu stream: subscribes to the response body line by line (no thread waits
 * on I/O), feeds an {@link SseParser} (which also splits the doc-style events written
 * without blank lines between them) and turns chunks into listener calls through a
 * {@link StreamDelivery}, so the listener sees exactly one terminal call whichever of the
 * body, an error, a timer or {@link #cancel()} comes first.
 *
 * <p>
 * Zhipu specifics: usage comes in the chunk that carries {@code finish_reason}; a data
 * event holding {@code {"error":…}} ends the stream with the mapped error; the finish
 * reasons {@code sensitive} and {@code network_error} end it at once with
 * {@code CONTENT_FILTERED} and {@code UNAVAILABLE} (see
 * {@link ZhipuErrorMapper#fromFinishReason}); the text of that last chunk is not
 * delivered.
 *
 * <p>
 * Timers use {@link CompletableFuture#orTimeout}, i.e. the JDK's one shared daemon delay
 * scheduler; completing the timer futures when the stream ends cancels the scheduled
 * tasks. Timeout handling hops to the default async pool so listener code never runs on
 * the scheduler thread.
 */
final class ZhipuStream implements ModelStream, Flow.Subscriber<String>, SseParser.Listener {

	private static final Logger logger = LoggerFactory.getLogger(ZhipuStream.class);

	private static final Flow.Subscription CANCELLED = new Flow.Subscription() {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	};

	private final StreamDelivery delivery;

	private final ZhipuErrorMapper errors;

	private final SseParser parser = new SseParser(this);

	private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

	private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();

	private final CompletableFuture<Void> deadline = new CompletableFuture<>();

	private volatile CompletableFuture<?> exchange;

	private volatile HttpHeaders headers;

	// Written only from the serial subscriber callbacks.
	private String model;

	private String finishReason;

	private TokenUsage usage = TokenUsage.UNKNOWN;

	private boolean sawText;

	ZhipuStream(ModelStreamListener listener, ZhipuErrorMapper errors, String requestedModel) {
		this.delivery = new StreamDelivery(listener);
		this.errors = errors;
		this.model = requestedModel;
	}

	void start(HttpClient client, HttpRequest request, Duration firstTokenTimeout, Duration totalTimeout) {
		arm(this.firstEvent, firstTokenTimeout, "Zhipu sent no stream event within ");
		arm(this.deadline, totalTimeout, "Zhipu stream did not finish within ");
		CompletableFuture<HttpResponse<String>> call;
		try {
			call = client.sendAsync(request, this::bodySubscriber);
		}
		catch (RuntimeException ex) {
			fail(this.errors.fromThrowable(ex));
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
			logger.debug("Zhipu stream cancelled by the caller");
			release(true);
		}
	}

	/**
	 * End with an error; also used before {@link #start} for fail-fast errors.
	 * @param error the mapped error
	 */
	void fail(ChatException error) {
		if (this.delivery.fail(error)) {
			logger.debug("Zhipu stream failed: {}", error.toString());
			release(true);
		}
	}

	/**
	 * A 2xx event stream is read line by line (the body is then {@code null}); an error
	 * status or a 2xx JSON answer is read whole and handled in {@link #onExchangeDone}.
	 */
	private BodySubscriber<String> bodySubscriber(ResponseInfo info) {
		this.headers = info.headers();
		boolean json = info.headers()
			.firstValue("Content-Type")
			.map((type) -> type.toLowerCase(Locale.ROOT).startsWith("application/json"))
			.orElse(false);
		if (info.statusCode() / 100 == 2 && !json) {
			return BodySubscribers.fromLineSubscriber(this, (self) -> null, StandardCharsets.UTF_8, null);
		}
		return BodySubscribers.ofString(StandardCharsets.UTF_8);
	}

	private void onExchangeDone(HttpResponse<String> response, Throwable failure) {
		if (failure != null) {
			// After an end or a cancel the exchange is aborted on purpose: nothing to
			// map.
			if (this.delivery.isOpen()) {
				fail(this.errors.fromThrowable(failure));
			}
		}
		else if (response.statusCode() / 100 != 2) {
			logger.debug("Zhipu stream answered HTTP {}: {}", response.statusCode(), response.body());
			fail(this.errors.fromResponse(response.statusCode(), response.headers(), response.body()));
		}
		else if (response.body() != null) {
			logger.debug("Zhipu answered a stream request with JSON: {}", response.body());
			ZhipuWire.ErrorBody error = ZhipuWire.readError(response.body());
			fail((error != null) ? this.errors.fromErrorObject(error, response.headers())
					: new ChatException(ChatErrorCode.UNAVAILABLE, "Zhipu answered a stream request without a stream"));
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
			fail(this.errors.fromThrowable(failure));
		}
	}

	@Override
	public void onComplete() {
		this.parser.end();
		if (this.finishReason != null) {
			complete();
		}
		else {
			fail(new ChatException(ChatErrorCode.UNAVAILABLE, "Zhipu stream ended early"));
		}
	}

	@Override
	public void onData(String data) {
		this.firstEvent.complete(null);
		if (data.isBlank() || !this.delivery.isOpen()) {
			return;
		}
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
			fail(this.errors.fromErrorObject(chunk.error(), this.headers));
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
			if (!this.delivery.delta(text)) {
				release(true);
			}
		}
	}

	@Override
	public void onDone() {
		this.firstEvent.complete(null);
		complete();
	}

	private void complete() {
		String finish = (this.finishReason != null) ? this.finishReason : "stop";
		if (this.delivery.complete(this.model, finish, this.usage)) {
			release(false);
		}
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
