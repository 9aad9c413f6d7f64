package io.chatrelay.provider.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.chatrelay.api.ChatException;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ModelRequest;
import io.chatrelay.provider.model.ModelStream;
import io.chatrelay.provider.model.ModelStreamListener;
import io.chatrelay.provider.resilience.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request along the chain of the routing in force: the degrade target alone
 * while operators degrade, else the primary and then each fallback vendor while the one
 * before failed with a retriable error or was refused by its breaker. A stream moves to
 * the next vendor only before its first delta. Counts every attempt in
 * {@code chat_provider_requests_total{vendor,model,outcome,route}} and times it in
 * {@code chat_provider_latency_seconds{vendor}}.
 */
public class ModelRouter {

	private static final Logger log = LoggerFactory.getLogger(ModelRouter.class);

	private final RoutingTable routing;

	private final Map<String, ChatModel> models;

	private final MeterRegistry meters;

	/**
	 * Create a router.
	 * @param routing the routing in force
	 * @param models the vendors by name
	 * @param meters where to count
	 */
	public ModelRouter(RoutingTable routing, Map<String, ChatModel> models, MeterRegistry meters) {
		this.routing = routing;
		this.models = Map.copyOf(models);
		this.meters = meters;
	}

	/**
	 * Answer a request.
	 * @param request the question
	 * @return the answer with who gave it; fails with a plain {@link ChatException}
	 */
	public CompletableFuture<RoutedReply> call(ModelRequest request) {
		return call(request, this.routing.current().chain(), 0);
	}

	private CompletableFuture<RoutedReply> call(ModelRequest request, List<RoutingPolicy.Step> chain, int index) {
		RoutingPolicy.Step step = chain.get(index);
		ChatModel model = this.models.get(step.vendor());
		long started = System.nanoTime();
		CompletableFuture<RoutedReply> attempt;
		try {
			attempt = model.call(request)
				.thenApply((response) -> new RoutedReply(response, step.vendor(), step.route()));
		}
		catch (RuntimeException ex) {
			attempt = CompletableFuture.failedFuture(ex);
		}
		return attempt.handle((reply, failure) -> {
			record(step, (reply != null) ? reply.response().model() : null, failure, started);
			if (failure == null) {
				return CompletableFuture.completedFuture(reply);
			}
			if (index + 1 < chain.size() && Failures.worthAnotherVendor(failure)) {
				log.info("{} failed ({}), falling back to {}", step.vendor(), describe(failure),
						chain.get(index + 1).vendor());
				return call(request, chain, index + 1);
			}
			return CompletableFuture.<RoutedReply>failedFuture(Failures.forConsumer(failure));
		}).thenCompose((next) -> next);
	}

	/**
	 * Stream an answer.
	 * @param request the question
	 * @param listener receives the stream
	 * @return a handle that cancels whichever vendor is streaming
	 */
	public ModelStream stream(ModelRequest request, RoutedStreamListener listener) {
		RoutedStream stream = new RoutedStream(request, this.routing.current().chain(), listener);
		stream.start(0);
		return stream;
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
	 * A stream that may move along the chain until its first delta.
	 */
	private final class RoutedStream implements ModelStream {

		private final ModelRequest request;

		private final List<RoutingPolicy.Step> chain;

		private final RoutedStreamListener listener;

		private volatile ModelStream current;

		private volatile boolean cancelled;

		RoutedStream(ModelRequest request, List<RoutingPolicy.Step> chain, RoutedStreamListener listener) {
			this.request = request;
			this.chain = chain;
			this.listener = listener;
		}

		void start(int index) {
			if (this.cancelled) {
				return;
			}
			RoutingPolicy.Step step = this.chain.get(index);
			long started = System.nanoTime();
			this.current = ModelRouter.this.models.get(step.vendor()).stream(this.request, new ModelStreamListener() {

				private boolean delivered;

				@Override
				public void onDelta(String text) {
					this.delivered = true;
					RoutedStream.this.listener.onDelta(text);
				}

				@Override
				public void onComplete(String model, String finishReason, TokenUsage usage) {
					record(step, model, null, started);
					RoutedStream.this.listener.onComplete(step.vendor(), step.route(), model, finishReason, usage);
				}

				@Override
				public void onError(ChatException error) {
					record(step, null, error, started);
					if (!this.delivered && index + 1 < RoutedStream.this.chain.size()
							&& Failures.worthAnotherVendor(error)) {
						log.info("{} stream failed before its first token ({}), falling back to {}", step.vendor(),
								describe(error), RoutedStream.this.chain.get(index + 1).vendor());
						start(index + 1);
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
