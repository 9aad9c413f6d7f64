package io.chatrelay.provider.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;

/**
 * A vendor adapter behind its own resilience4j instances (all named after the vendor):
 * retry with backoff for retriable errors, a circuit breaker that ignores non-retriable
 * ones, a rate limiter and a bulkhead. A call refused by the breaker, the limiter or the
 * bulkhead fails at once with a {@link CircuitOpenException}, so the router can move on.
 * A stream is retried only before its first delta; after that a failure ends it.
 */
public class ResilientChatModel implements ChatModel {

	private final ChatModel delegate;

	private final Guards guards;

	private final Retry retry;

	private final ScheduledExecutorService scheduler;

	/**
	 * Decorate a vendor adapter.
	 * @param delegate the adapter
	 * @param breaker its circuit breaker
	 * @param retry its retry
	 * @param rateLimiter its rate limiter (timeout 0: never blocks)
	 * @param bulkhead its bulkhead (max wait 0: never blocks)
	 * @param scheduler runs delayed retries
	 */
	public ResilientChatModel(ChatModel delegate, CircuitBreaker breaker, Retry retry, RateLimiter rateLimiter,
			Bulkhead bulkhead, ScheduledExecutorService scheduler) {
		this.delegate = delegate;
		this.guards = new Guards(delegate.vendor(), breaker, rateLimiter, bulkhead);
		this.retry = retry;
		this.scheduler = scheduler;
	}

	@Override
	public String vendor() {
		return this.delegate.vendor();
	}

	@Override
	public boolean configured() {
		return this.delegate.configured();
	}

	/**
	 * The vendor's circuit breaker.
	 * @return the breaker
	 */
	public CircuitBreaker breaker() {
		return this.guards.breaker();
	}

	@Override
	public CompletableFuture<ModelResponse> call(ModelRequest request) {
		return this.retry.executeCompletionStage(this.scheduler, () -> attempt(request)).toCompletableFuture();
	}

	private CompletableFuture<ModelResponse> attempt(ModelRequest request) {
		Guards.Permit permit;
		try {
			permit = this.guards.acquire();
		}
		catch (CircuitOpenException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<ModelResponse> call;
		try {
			call = this.delegate.call(request);
		}
		catch (RuntimeException ex) {
			call = CompletableFuture.failedFuture(ex);
		}
		return call.whenComplete((response, failure) -> permit.release(failure));
	}

	@Override
	public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
		RetryingStream stream = new RetryingStream(request, listener);
		stream.attempt(1);
		return stream;
	}

	/**
	 * One logical stream over possibly several attempts, all before the first delta.
	 */
	private final class RetryingStream implements ModelStream, ModelStreamListener {

		private final ModelRequest request;

		private final ModelStreamListener listener;

		private volatile boolean cancelled;

		private volatile boolean started;

		private volatile ModelStream current;

		private volatile Guards.Permit permit;

		private int attempt;

		RetryingStream(ModelRequest request, ModelStreamListener listener) {
			this.request = request;
			this.listener = listener;
		}

		void attempt(int number) {
			if (this.cancelled) {
				return;
			}
			this.attempt = number;
			try {
				this.permit = ResilientChatModel.this.guards.acquire();
			}
			catch (CircuitOpenException ex) {
				this.listener.onError(ex);
				return;
			}
			this.current = ResilientChatModel.this.delegate.stream(this.request, this);
		}

		@Override
		public void onDelta(String text) {
			this.started = true;
			this.listener.onDelta(text);
		}

		@Override
		public void onComplete(String model, String finishReason, io.chatrelay.api.TokenUsage usage) {
			this.permit.release(null);
			this.listener.onComplete(model, finishReason, usage);
		}

		@Override
		public void onError(io.chatrelay.api.ChatException error) {
			this.permit.release(error);
			int maxAttempts = ResilientChatModel.this.retry.getRetryConfig().getMaxAttempts();
			if (!this.started && !this.cancelled && this.attempt < maxAttempts
					&& Failures.retriableAtSameVendor(error)) {
				long wait = ResilientChatModel.this.retry.getRetryConfig()
					.getIntervalBiFunction()
					.apply(this.attempt, io.github.resilience4j.core.functions.Either.left(error));
				int next = this.attempt + 1;
				ResilientChatModel.this.scheduler.schedule(() -> attempt(next), wait, TimeUnit.MILLISECONDS);
				return;
			}
			this.listener.onError(error);
		}

		@Override
		public void cancel() {
			this.cancelled = true;
			ModelStream stream = this.current;
			if (stream != null) {
				stream.cancel();
			}
		}

	}

	/**
	 * The breaker, limiter and bulkhead of one vendor, acquired together and released
	 * once.
	 */
	private record Guards(String vendor, CircuitBreaker breaker, RateLimiter rateLimiter, Bulkhead bulkhead) {

		Permit acquire() {
			if (!this.bulkhead.tryAcquirePermission()) {
				throw new CircuitOpenException(ChatErrorCode.UNAVAILABLE,
						this.vendor + " has too many calls in flight on this provider");
			}
			if (!this.rateLimiter.acquirePermission()) {
				this.bulkhead.onComplete();
				throw new CircuitOpenException(ChatErrorCode.RATE_LIMITED,
						this.vendor + " is over this provider's local rate limit");
			}
			if (!this.breaker.tryAcquirePermission()) {
				this.bulkhead.onComplete();
				throw new CircuitOpenException(ChatErrorCode.UNAVAILABLE,
						this.vendor + " is failing: its circuit breaker is open");
			}
			return new Permit(this, System.nanoTime());
		}

		/**
		 * Permission for one attempt.
		 */
		private record Permit(Guards guards, long startedNanos) {

			void release(Throwable failure) {
				long nanos = System.nanoTime() - this.startedNanos;
				this.guards.bulkhead.onComplete();
				if (failure == null) {
					this.guards.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
				}
				else {
					this.guards.breaker.onError(nanos, TimeUnit.NANOSECONDS, Failures.unwrap(failure));
				}
			}

		}

	}

}
