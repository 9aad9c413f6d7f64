package io.chatrelay.provider.model.openai;

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
import io.chatrelay.provider.model.openai.OpenAiWire.Choice;
import io.chatrelay.provider.model.openai.OpenAiWire.Completion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running OpenAI stream: subscribes to the response body line by line (no thread
 * waits on I/O), feeds an {@link SseParser} and turns chunks into listener calls through
 * a {@link StreamDelivery}, so the listener sees exactly one terminal call whichever of
 * the body, an error, a timer or {@link #cancel()} comes first.
 *
 * <p>
 * Timers use {@link CompletableFuture#orTimeout}, i.e. the JDK's one shared daemon delay
 * scheduler; completing the timer futures when the stream ends cancels the scheduled
 * tasks. Timeout handling hops to the default async pool so listener code never runs on
 * the scheduler thread.
 */
final class OpenAiStream implements ModelStream, Flow.Subscriber<String>, SseParser.Listener {

	private static final Logger logger = LoggerFactory.getLogger(OpenAiStream.class);

	private static final Flow.Subscription CANCELLED = new Flow.Subscription() {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	};

	private final StreamDelivery delivery;

	private final OpenAiErrorMapper errors;

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

	OpenAiStream(ModelStreamListener listener, OpenAiErrorMapper errors, String requestedModel) {
		this.delivery = new StreamDelivery(listener);
		this.errors = errors;
		this.model = requestedModel;
	}

	void start(HttpClient client, HttpRequest request, Duration firstTokenTimeout, Duration totalTimeout) {
		arm(this.firstEvent, firstTokenTimeout, "OpenAI sent no stream event within ");
		arm(this.deadline, totalTimeout, "OpenAI stream did not finish within ");
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
			logger.debug("OpenAI stream cancelled by the caller");
			release(true);
		}
	}

	/**
	 * End with an error; also used before {@link #start} for fail-fast errors.
	 * @param error the mapped error
	 */
	void fail(ChatException error) {
		if (this.delivery.fail(error)) {
			logger.debug("OpenAI stream failed: {}", error.toString());
			release(true);
		}
	}

	private BodySubscriber<String> bodySubscriber(ResponseInfo info) {
		this.headers = info.headers();
		if (info.statusCode() / 100 == 2) {
			return BodySubscribers.fromLineSubscriber(this, (self) -> null, StandardCharsets.UTF_8, null);
		}
		return BodySubscribers.ofString(StandardCharsets.UTF_8);
	}

	private void onExchangeDone(HttpResponse<String> response, Throwable failure) {
		if (failure != null) {
			fail(this.errors.fromThrowable(failure));
		}
		else if (response.statusCode() / 100 != 2) {
			logger.debug("OpenAI stream answered HTTP {}: {}", response.statusCode(), response.body());
			fail(this.errors.fromResponse(response.statusCode(), response.headers(), response.body()));
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
		fail(this.errors.fromThrowable(failure));
	}

	@Override
	public void onComplete() {
		this.parser.end();
		if (this.finishReason != null) {
			complete();
		}
		else {
			fail(new ChatException(ChatErrorCode.UNAVAILABLE, "OpenAI stream ended early"));
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
			chunk = OpenAiWire.readCompletion(data);
		}
		catch (IOException ex) {
			logger.debug("Unreadable OpenAI stream event: {}", data);
			fail(new ChatException(ChatErrorCode.UNAVAILABLE, "OpenAI sent an unreadable stream event"));
			return;
		}
		if (chunk.error() != null) {
			logger.debug("OpenAI stream error event: {}", data);
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
		if ("content_filter".equals(this.finishReason) && !this.sawText) {
			fail(new ChatException(ChatErrorCode.CONTENT_FILTERED, "OpenAI filtered the answer (content_filter)"));
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
