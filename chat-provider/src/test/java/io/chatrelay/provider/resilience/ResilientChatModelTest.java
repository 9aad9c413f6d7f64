package io.chatrelay.provider.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.QuotaExhaustedException;
import io.chatrelay.provider.model.RecordingStreamListener;
import io.chatrelay.provider.routing.ScriptedModel;
import io.chatrelay.provider.routing.ScriptedModel.Outcome;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ResilientChatModelTest {

	private static final ModelRequest REQUEST = new ModelRequest(List.of(ChatMessage.user("hi")), null, null, null,
			null);

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final CircuitBreaker breaker = CircuitBreaker.of("chatgpt",
			CircuitBreakerConfig.custom()
				.slidingWindowSize(4)
				.minimumNumberOfCalls(4)
				.failureRateThreshold(50)
				.waitDurationInOpenState(Duration.ofMillis(300))
				.permittedNumberOfCallsInHalfOpenState(2)
				.recordException(Failures::vendorFault)
				.build());

	@AfterEach
	void stop() {
		this.scheduler.shutdownNow();
	}

	@Test
	void retriesRetriableErrorsWithBackoffThenSucceeds() {
		ScriptedModel vendor = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.UNAVAILABLE),
				Outcome.failure(ChatErrorCode.RATE_LIMITED), Outcome.answer("third time"));

		ModelResponse response = resilient(vendor, 3).call(REQUEST).join();

		assertThat(response.text()).isEqualTo("third time");
		assertThat(vendor.calls).hasValue(3);
	}

	@Test
	void leavesTimeoutsAndUsedUpQuotasToTheRouterButCountsThemForTheBreaker() {
		ScriptedModel timingOut = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.TIMEOUT));
		ScriptedModel quota = new ScriptedModel("chatgpt",
				new Outcome(List.of(), new QuotaExhaustedException("insufficient_quota")));

		assertThatThrownBy(() -> resilient(timingOut, 3).call(REQUEST).join()).hasCauseInstanceOf(ChatException.class);
		assertThatThrownBy(() -> resilient(quota, 3).call(REQUEST).join())
			.hasCauseInstanceOf(QuotaExhaustedException.class);

		assertThat(timingOut.calls).hasValue(1);
		assertThat(quota.calls).hasValue(1);
		assertThat(this.breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(2);
	}

	@Test
	void neverRetriesBadRequestsOrMisconfiguration() {
		ScriptedModel badRequest = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.BAD_REQUEST));
		ScriptedModel unauthorized = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.UNAUTHORIZED));

		assertThatThrownBy(() -> resilient(badRequest, 3).call(REQUEST).join()).hasCauseInstanceOf(ChatException.class);
		assertThatThrownBy(() -> resilient(unauthorized, 3).call(REQUEST).join())
			.hasCauseInstanceOf(ChatException.class);

		assertThat(badRequest.calls).hasValue(1);
		assertThat(unauthorized.calls).hasValue(1);
		assertThat(this.breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void breakerOpensRefusesWithoutCallingThenHalfOpensAndRecovers() {
		ScriptedModel vendor = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.UNAVAILABLE),
				Outcome.failure(ChatErrorCode.UNAVAILABLE), Outcome.failure(ChatErrorCode.UNAVAILABLE),
				Outcome.failure(ChatErrorCode.UNAVAILABLE), Outcome.answer("back"));
		ResilientChatModel model = resilient(vendor, 1);
		for (int i = 0; i < 4; i++) {
			assertThatThrownBy(model.call(REQUEST)::join).hasCauseInstanceOf(ChatException.class);
		}
		assertThat(this.breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

		CompletableFuture<ModelResponse> refused = model.call(REQUEST);

		assertThatThrownBy(refused::join).hasCauseInstanceOf(CircuitOpenException.class);
		assertThat(vendor.calls).hasValue(4);
		await().atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.breaker.getState() == CircuitBreaker.State.HALF_OPEN
					|| this.breaker.tryAcquirePermission() && release());
		assertThat(model.call(REQUEST).join().text()).isEqualTo("back");
		assertThat(model.call(REQUEST).join().text()).isEqualTo("back");
		assertThat(this.breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void aStreamIsRetriedBeforeItsFirstDelta() {
		ScriptedModel vendor = new ScriptedModel("chatgpt", Outcome.failure(ChatErrorCode.UNAVAILABLE),
				new Outcome(List.of("Hel", "lo"), null));
		RecordingStreamListener listener = new RecordingStreamListener();

		resilient(vendor, 3).stream(REQUEST, listener);

		assertThat(listener.terminal.orTimeout(5, TimeUnit.SECONDS).join())
			.isInstanceOf(RecordingStreamListener.Completion.class);
		assertThat(listener.deltas).containsExactly("Hel", "lo");
		assertThat(vendor.calls).hasValue(2);
	}

	@Test
	void aStreamIsNotRetriedAfterItsFirstDelta() {
		ScriptedModel vendor = new ScriptedModel("chatgpt", Outcome.breaksOffAfter("Hel", ChatErrorCode.UNAVAILABLE),
				Outcome.answer("never"));
		RecordingStreamListener listener = new RecordingStreamListener();

		resilient(vendor, 3).stream(REQUEST, listener);

		assertThat(listener.terminal.orTimeout(5, TimeUnit.SECONDS).join()).isInstanceOf(ChatException.class);
		assertThat(listener.deltas).containsExactly("Hel");
		assertThat(vendor.calls).hasValue(1);
		assertThat(listener.terminalCalls).hasValue(1);
	}

	private boolean release() {
		this.breaker.releasePermission();
		return this.breaker.getState() == CircuitBreaker.State.HALF_OPEN;
	}

	private ResilientChatModel resilient(ScriptedModel vendor, int maxAttempts) {
		Retry retry = Retry.of("chatgpt",
				RetryConfig.custom()
					.maxAttempts(maxAttempts)
					.retryOnException(Failures::retriableAtSameVendor)
					.intervalBiFunction(new RetryBackoff(10, 2, 0.5, 100, 1000))
					.build());
		RateLimiter limiter = RateLimiter.of("chatgpt",
				RateLimiterConfig.custom()
					.limitForPeriod(1000)
					.limitRefreshPeriod(Duration.ofSeconds(1))
					.timeoutDuration(Duration.ZERO)
					.build());
		Bulkhead bulkhead = Bulkhead.of("chatgpt",
				BulkheadConfig.custom().maxConcurrentCalls(10).maxWaitDuration(Duration.ZERO).build());
		return new ResilientChatModel(vendor, this.breaker, retry, limiter, bulkhead, this.scheduler);
	}

}
