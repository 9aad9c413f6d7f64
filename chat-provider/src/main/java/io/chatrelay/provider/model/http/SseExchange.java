package io.chatrelay.provider.model.http;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange of an {@link SseHttpStream}: picks how the body is read, feeds a 2xx
 * body line by line to the stream's {@link BodyReader} and reports every way the exchange
 * can fail to the stream, which ends or restarts. Its subscriber callbacks arrive
 * serially; once the exchange is aborted, or is no longer the one its stream reads, they
 * are ignored.
 */
final class SseExchange implements Flow.Subscriber<String>, SseParser.Listener {

	private static final Logger logger = LoggerFactory.getLogger(SseExchange.class);

	private final SseHttpStream stream;

	private final BodyReader body;

	private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

	private volatile CompletableFuture<?> call;

	private volatile boolean aborted;

	private volatile HttpHeaders headers;

	SseExchange(SseHttpStream stream) {
		this.stream = stream;
		this.body = stream.bodyReader(this);
	}

	/**
	 * The response headers, once they arrived.
	 * @return the headers, or {@code null} before
	 */
	HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * The request went out.
	 * @param exchange the HTTP client's future of the answer
	 */
	void sent(CompletableFuture<HttpResponse<String>> exchange) {
		this.call = exchange;
		exchange.whenComplete(this::onExchangeDone);
		if (!active()) {
			exchange.cancel(true);
		}
	}

	/**
	 * Stop reading and abort the HTTP exchange.
	 */
	void abort() {
		this.aborted = true;
		Flow.Subscription s = this.subscription.get();
		if (s != null) {
			s.cancel();
		}
		CompletableFuture<?> exchange = this.call;
		if (exchange != null) {
			exchange.cancel(true);
		}
	}

	BodySubscriber<String> bodySubscriber(ResponseInfo info) {
		this.headers = info.headers();
		if (this.stream.readWhole(info)) {
			return BodySubscribers.ofString(StandardCharsets.UTF_8);
		}
		return BodySubscribers.fromLineSubscriber(this, (self) -> null, StandardCharsets.UTF_8, null);
	}

	private boolean active() {
		return !this.aborted && this.stream.reads(this);
	}

	private void onExchangeDone(HttpResponse<String> response, Throwable failure) {
		// After an end, a cancel or a restart the exchange is aborted on purpose.
		if (!active()) {
			return;
		}
		if (failure != null) {
			this.stream.exchangeFailed(this, failure);
		}
		else if (response.statusCode() / 100 != 2) {
			logger.debug("{} stream answered HTTP {}: {}", this.stream.vendor(), response.statusCode(),
					response.body());
			this.stream.exchangeFailed(this, this.stream.mapErrorResponse(response));
		}
		else if (response.body() != null) {
			logger.debug("{} answered a stream request with a whole body: {}", this.stream.vendor(), response.body());
			this.stream.exchangeFailed(this, this.stream.mapWholeAnswer(response));
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
		if (active()) {
			try {
				if (!this.body.line(line)) {
					this.stream.exchangeFailed(this, new ChatException(ChatErrorCode.UNAVAILABLE,
							this.stream.vendor() + " sent an oversized response"));
				}
			}
			catch (RuntimeException ex) {
				this.stream.exchangeFailed(this, ex);
			}
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
			this.stream.exchangeFailed(this, failure);
		}
	}

	@Override
	public void onComplete() {
		if (!active()) {
			return;
		}
		try {
			this.body.end();
		}
		catch (RuntimeException ex) {
			this.stream.exchangeFailed(this, ex);
			return;
		}
		if (!active()) {
			return;
		}
		if (this.stream.finished()) {
			this.stream.complete();
		}
		else {
			this.stream.exchangeFailed(this,
					new ChatException(ChatErrorCode.UNAVAILABLE, this.stream.vendor() + " stream ended early"));
		}
	}

	@Override
	public void onData(String data) {
		this.stream.eventArrived();
		if (!data.isBlank() && active()) {
			this.stream.onEvent(data);
		}
	}

	@Override
	public void onDone() {
		this.stream.eventArrived();
		if (active()) {
			this.stream.complete();
		}
	}

}
