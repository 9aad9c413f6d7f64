package io.chatrelay.provider.system;

import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.ernie.ErnieChatModel;
import io.chatrelay.provider.model.ernie.ErnieProperties;
import io.chatrelay.provider.model.openai.OpenAiChatModel;
import io.chatrelay.provider.model.openai.OpenAiProperties;
import io.chatrelay.provider.model.zhipu.ZhipuChatModel;
import io.chatrelay.provider.model.zhipu.ZhipuProperties;
import io.chatrelay.provider.resilience.Failures;
import io.chatrelay.provider.resilience.ResilienceProperties;
import io.chatrelay.provider.resilience.ResilientChatModel;
import io.chatrelay.provider.routing.InvalidRoutingException;
import io.chatrelay.provider.routing.ModelRouter;
import io.chatrelay.provider.routing.RoutingDocument;
import io.chatrelay.provider.routing.RoutingProperties;
import io.chatrelay.provider.routing.RoutingSubscription;
import io.chatrelay.provider.routing.RoutingTable;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.retry.configuration.RetryConfigCustomizer;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.dubbo.rpc.model.ApplicationModel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the vendor adapters, each behind its resilience4j instances (named after the
 * vendor, configured under {@code resilience4j.*.instances.<vendor>}), the routing table
 * fed by the config center, and the router.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	/** The vendors this provider knows, in the default chain's order. */
	static final List<String> VENDORS = List.of(OpenAiChatModel.VENDOR, ZhipuChatModel.VENDOR, ErnieChatModel.VENDOR);

	/**
	 * The resilience4j config every vendor instance inherits (an
	 * {@code instances.<vendor>} entry overrides single settings).
	 */
	static final String SHARED_CONFIG = "default";

	private static final Predicate<Throwable> RETRIABLE_AT_SAME_VENDOR = Failures::retriableAtSameVendor;

	private static final Predicate<Throwable> VENDOR_FAULT = Failures::vendorFault;

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService retryScheduler() {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "vendor-retry");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Retry only what may succeed at the same vendor, with our backoff (which honours
	 * Retry-After), for the shared {@code default} config and a per-vendor one if
	 * present.
	 */
	@Bean
	List<RetryConfigCustomizer> vendorRetryCustomizers(ResilienceProperties properties) {
		return configNames().stream()
			.map((name) -> RetryConfigCustomizer.of(name,
					(builder) -> builder.retryOnException(RETRIABLE_AT_SAME_VENDOR)
						.intervalBiFunction(properties.backoff())))
			.toList();
	}

	/**
	 * Only failures that say something about the vendor's health count for its breaker:
	 * bad requests, content filtering and misconfiguration are ignored.
	 */
	@Bean
	List<CircuitBreakerConfigCustomizer> vendorBreakerCustomizers() {
		return configNames().stream()
			.map((name) -> CircuitBreakerConfigCustomizer.of(name, (builder) -> builder.recordException(VENDOR_FAULT)))
			.toList();
	}

	private static List<String> configNames() {
		List<String> names = new java.util.ArrayList<>(VENDORS);
		names.add(SHARED_CONFIG);
		return names;
	}

	@Bean
	ModelRouter modelRouter(OpenAiProperties openAi, ZhipuProperties zhipu, ErnieProperties ernie, RoutingTable routing,
			CircuitBreakerRegistry breakers, RetryRegistry retries, RateLimiterRegistry rateLimiters,
			BulkheadRegistry bulkheads, ScheduledExecutorService retryScheduler, MeterRegistry meters) {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(openAi.connectTimeout())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		Map<String, ChatModel> models = new LinkedHashMap<>();
		for (ChatModel vendor : List.<ChatModel>of(new OpenAiChatModel(openAi, http), new ZhipuChatModel(zhipu),
				new ErnieChatModel(ernie))) {
			String name = vendor.vendor();
			ResilientChatModel resilient = new ResilientChatModel(vendor, breakers.circuitBreaker(name),
					retries.retry(name), rateLimiters.rateLimiter(name), bulkheads.bulkhead(name), retryScheduler);
			Gauge.builder("chat.provider.breaker.state", resilient, (model) -> breakerState(model))
				.description("Circuit breaker state per vendor: 0 closed, 1 open, 2 half-open, 3 other")
				.tag("vendor", name)
				.register(meters);
			models.put(name, resilient);
		}
		return new ModelRouter(routing, models, meters);
	}

	/**
	 * The routing table, starting from the local defaults, which are checked here: a
	 * vendor name this provider does not know stops startup with the offending key.
	 */
	@Bean
	RoutingTable routingTable(RoutingProperties properties, MeterRegistry meters) {
		RoutingDocument document;
		try {
			document = new RoutingDocument(java.util.Set.copyOf(VENDORS), properties.toPolicy());
		}
		catch (InvalidRoutingException ex) {
			throw new IllegalStateException("Invalid chat.provider.routing: " + ex.getMessage(), ex);
		}
		RoutingTable table = new RoutingTable(document, properties.toPolicy());
		Gauge.builder("chat.provider.routing.degraded", table, (t) -> t.current().degradeEnabled() ? 1 : 0)
			.description("1 while operators have switched on degrade mode")
			.register(meters);
		return table;
	}

	@Bean(destroyMethod = "close")
	RoutingSubscription routingSubscription(RoutingTable table) {
		return new RoutingSubscription(table, ApplicationModel.defaultModel());
	}

	private static double breakerState(ResilientChatModel model) {
		return switch (model.breaker().getState()) {
			case CLOSED -> 0;
			case OPEN -> 1;
			case HALF_OPEN -> 2;
			default -> 3;
		};
	}

}
