package io.chatrelay.provider.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelResponse;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.resilience.CircuitOpenException;
import io.chatrelay.provider.resilience.Failures;
import io.chatrelay.provider.usage.TokenMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request along the chain of the routing in force for its tenant (the tenant's
 * own route where it has one, {@link RoutingPolicy#forTenant}): the degrade target alone
 * while degraded, else the primary and then each fallback vendor while the one before
 * failed with a retriable error or was refused by its breaker. Each step is answered by
 * the tenant's own account for that vendor where it has one, else the platform's
 * ({@link VendorAccounts}). Vendors without credentials are passed over (with one WARN
 * per routing and tenant). A vendor that timed out is not asked again unless it is the
 * last of the chain, which gets one more attempt. A stream moves on only before its first
 * delta. A whole answer is asked for as a stream too and collected, so a vendor that
 * hangs fails at its first-token timeout rather than its total timeout. Counts every
 * attempt in {@code chat_provider_requests_total{vendor,model,outcome,route}} and times
 * it in {@code chat_provider_latency_seconds{vendor}}.
 */
public class ModelRouter {

	private static final Logger log = LoggerFactory.getLogger(ModelRouter.class);

	private final RoutingTable routing;

	private final VendorAccounts accounts;

	private final MeterRegistry meters;

	private final TokenMeter usage;

	/**
	 * Usable chains by tenant ({@code ""} for every tenant without a route or account of
	 * its own), each valid for the routing it was computed from.
	 */
	private final Map<String, Chain> chains = new ConcurrentHashMap<>();

	/**
	 * Create a router.
	 * @param routing the routing in force
	 * @param accounts the vendors' accounts
	 * @param meters where to count
	 * @param usage where answers' token usage is metered
	 */
	public ModelRouter(RoutingTable routing, VendorAccounts accounts, MeterRegistry meters, TokenMeter usage) {
		this.routing = routing;
		this.accounts = accounts;
		this.meters = meters;
		this.usage = usage;
	}

	/**
	 * Answer a request with a whole answer. Every vendor is asked for a stream, collected
	 * ({@link CollectedStream}), so that its {@code first-token-timeout} detects a vendor
	 * that hangs, as for a streamed request.
	 * @param tenantId the (authenticated) tenant asking
	 * @param request the question
	 * @return the answer with who gave it; fails with a plain {@link ChatException};
	 * cancelling it cancels the vendor's stream
	 */
	public CompletableFuture<RoutedReply> call(String tenantId, ModelRequest request) {
		RoutedCall call = new RoutedCall(tenantId, request, chain(tenantId));
		call.attempt(0, false);
		return call.result;
	}

	/**
	 * The chain of the routing in force for a tenant, each step on the account that
	 * answers it, without the vendors that account cannot call; computed once per routing
	 * and tenant. When no vendor of the chain is configured it is kept as it is, so that
	 * callers see the vendor's own {@code UNAUTHORIZED}.
	 */
	private List<Hop> chain(String tenantId) {
		RoutingPolicy policy = this.routing.current();
		String key = (this.accounts.hasOwn(tenantId) || (tenantId != null && policy.tenants().containsKey(tenantId)))
				? tenantId : "";
		Chain known = this.chains.get(key);
		if (known != null && known.policy() == policy) {
			return known.hops();
		}
		RoutingPolicy effective = policy.forTenant(key);
		List<Hop> all = effective.chain()
			.stream()
			.map((step) -> new Hop(step, this.accounts.account(key.isEmpty() ? null : key, step.vendor())))
			.toList();
		List<Hop> usable = all.stream().filter((hop) -> hop.account().model().configured()).toList();
		if (usable.size() < all.size()) {
			log.warn("Routing ({}{}) names vendors without credentials on this provider, which are passed over: {}",
					effective, key.isEmpty() ? "" : ", tenant " + key,
					all.stream().filter((hop) -> !usable.contains(hop)).map((hop) -> hop.step().vendor()).toList());
		}
		List<Hop> hops = usable.isEmpty() ? all : usable;
		this.chains.put(key, new Chain(policy, hops));
		return hops;
	}

	/**
	 * Stream an answer.
	 * @param tenantId the (authenticated) tenant asking
	 * @param request the question
	 * @param listener receives the stream
	 * @return a handle that cancels whichever vendor is streaming
	 */
	public ModelStream stream(String tenantId, ModelRequest request, RoutedStreamListener listener) {
		RoutedStream stream = new RoutedStream(tenantId, request, chain(tenantId), listener);
		stream.start(0, false);
		return stream;
	}

	/**
	 * A refusal by an open breaker happens on every request while it is open: DEBUG, the
	 * breaker's state is a metric. A real failure moving a request on is worth INFO.
	 */
	private static void logFallback(RoutingPolicy.Step step, Throwable failure, RoutingPolicy.Step next) {
		if (Failures.unwrap(failure) instanceof CircuitOpenException) {
			log.debug("{} refused locally ({}), falling back to {}", step.vendor(), describe(failure), next.vendor());
		}
		else {
			log.info("{} failed ({}), falling back to {}", step.vendor(), describe(failure), next.vendor());
		}
	}

	private void record(RoutingPolicy.Step step, String model, Throwable failure, long startedNanos) {
		String outcome = (failure == null) ? "success" : outcome(failure);
		Counter.builder("chat.provider.requests")
			.description("Vendor calls by vendor, model, outcome and route")
			.tag("vendor", step.vendor())
			.tag("model", (model != null) ? model : "unknown")
			.tag("outcome", outcome)
			.tag("route", step.route().name().toLowerCase(Locale.ROOT))
			.register(this.meters)
			.increment();
		Timer.builder("chat.provider.latency")
			.description("Vendor call latency, retries included")
			.tag("vendor", step.vendor())
			.publishPercentileHistogram()
			.register(this.meters)
			.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
	}

	private static String outcome(Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		return (cause instanceof ChatException chat) ? chat.code().name().toLowerCase(Locale.ROOT) : "error";
	}

	private static String describe(Throwable failure) {
		Throwable cause = Failures.unwrap(failure);
		return (cause instanceof ChatException chat) ? chat.code() + ": " + chat.getMessage() : "unexpected failure";
	}

	/**
	 * The usable chain of one routing for one tenant.
	 */
	private record Chain(RoutingPolicy policy, List<Hop> hops) {
	}

	/**
	 * One step of a chain and the account answering it.
	 */
	private record Hop(RoutingPolicy.Step step, VendorAccounts.Account account) {
	}

	/**
	 * A whole answer moving along the chain; the vendor asked at the moment is cancelled
	 * with the result.
	 */
	private final class RoutedCall {

		private final String tenantId;

		private final ModelRequest request;

		private final List<Hop> chain;

		private final CompletableFuture<RoutedReply> result = new CompletableFuture<>();

		private volatile CompletableFuture<ModelResponse> current;

		RoutedCall(String tenantId, ModelRequest request, List<Hop> chain) {
			this.tenantId = tenantId;
			this.request = request;
			this.chain = chain;
			this.result.whenComplete((reply, failure) -> {
				CompletableFuture<ModelResponse> asked = this.current;
				if (failure instanceof CancellationException && asked != null) {
					asked.cancel(false);
				}
			});
		}

		void attempt(int index, boolean timeoutRetried) {
			if (this.result.isDone()) {
				return;
			}
			RoutingPolicy.Step step = this.chain.get(index).step();
			long started = System.nanoTime();
			CompletableFuture<ModelResponse> answer = CollectedStream.collect(this.chain.get(index).account().model(),
					this.request);
			this.current = answer;
			if (this.result.isCancelled()) {
				answer.cancel(false);
			}
			answer.whenComplete((response, failure) -> {
				if (failure instanceof CancellationException) {
					return;
				}
				record(step, (response != null) ? response.model() : null, failure, started);
				if (failure == null) {
					ModelRouter.this.usage.record(this.tenantId, step.vendor(), response.model(), response.usage());
					this.result.complete(new RoutedReply(response, step.vendor(), step.route()));
				}
				else if (index + 1 < this.chain.size() && Failures.worthAnotherVendor(failure)) {
					logFallback(step, failure, this.chain.get(index + 1).step());
					attempt(index + 1, false);
				}
				else if (!timeoutRetried && Failures.isTimeout(failure)) {
					log.info("{} timed out and is the last vendor of the chain: one more attempt", step.vendor());
					attempt(index, true);
				}
				else {
					this.result.completeExceptionally(Failures.forConsumer(failure));
				}
			});
		}

	}

	/**
	 * A stream that may move along the chain until its first delta.
	 */
	private final class RoutedStream implements ModelStream {

		private final String tenantId;

		private final ModelRequest request;

		private final List<Hop> chain;

		private final RoutedStreamListener listener;

		private volatile ModelStream current;

		private volatile boolean cancelled;

		RoutedStream(String tenantId, ModelRequest request, List<Hop> chain, RoutedStreamListener listener) {
			this.tenantId = tenantId;
			this.request = request;
			this.chain = chain;
			this.listener = listener;
		}

		void start(int index, boolean timeoutRetried) {
			if (this.cancelled) {
				return;
			}
			RoutingPolicy.Step step = this.chain.get(index).step();
			long started = System.nanoTime();
			this.current = this.chain.get(index).account().model().stream(this.request, new ModelStreamListener() {

				private boolean delivered;

				@Override
				public void onDelta(String text) {
					this.delivered = true;
					RoutedStream.this.listener.onDelta(text);
				}

				@Override
				public void onComplete(String model, String finishReason, TokenUsage usage) {
					record(step, model, null, started);
					ModelRouter.this.usage.record(RoutedStream.this.tenantId, step.vendor(), model, usage);
					RoutedStream.this.listener.onComplete(step.vendor(), step.route(), model, finishReason, usage);
				}

				@Override
				public void onError(ChatException error) {
					record(step, null, error, started);
					if (!this.delivered && index + 1 < RoutedStream.this.chain.size()
							&& Failures.worthAnotherVendor(error)) {
						logFallback(step, error, RoutedStream.this.chain.get(index + 1).step());
						start(index + 1, false);
						return;
					}
					if (!this.delivered && !timeoutRetried && Failures.isTimeout(error)) {
						log.info("{} stream timed out and is the last vendor of the chain: one more attempt",
								step.vendor());
						start(index, true);
						return;
					}
					RoutedStream.this.listener.onError(this.delivered
							? new ChatException(error.code(), "The answer broke off: " + error.getMessage())
							: Failures.forConsumer(error));
				}

			});
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

}
