package io.chatrelay.provider.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

import io.chatrelay.provider.model.ChatModel;
import io.chatrelay.provider.model.VendorFactory;
import io.chatrelay.provider.resilience.Failures;
import io.chatrelay.provider.resilience.ResilienceProperties;
import io.chatrelay.provider.resilience.ResilientChatModel;
import io.chatrelay.provider.routing.InvalidRoutingException;
import io.chatrelay.provider.routing.ModelRouter;
import io.chatrelay.provider.routing.RoutingDocument;
import io.chatrelay.provider.routing.RoutingProperties;
import io.chatrelay.provider.routing.RoutingTable;
import io.chatrelay.provider.routing.VendorAccounts;
import io.chatrelay.provider.usage.TokenMeter;
import io.chatrelay.provider.usage.TokenUsageEndpoint;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.circuitbreaker.configuration.CircuitBreakerConfigCustomizer;
import io.github.resilience4j.common.retry.configuration.RetryConfigCustomizer;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Wires whatever vendors the build contributes, each behind its resilience4j instances
 * (named after the vendor, configured under {@code resilience4j.*.instances.<vendor>}),
 * the routing table and the router. No vendor is named here: each vendor package's
 * {@code @Configuration} contributes its {@link ChatModel}, configured or not, and the
 * vendors' names are what routing documents may use.
 */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

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
	 * Retry-After), for the shared {@code default} config and each vendor's own if
	 * present.
	 */
	@Bean
	List<RetryConfigCustomizer> vendorRetryCustomizers(List<ChatModel> vendors, ResilienceProperties properties) {
		return configNames(vendors).stream()
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
	List<CircuitBreakerConfigCustomizer> vendorBreakerCustomizers(List<ChatModel> vendors) {
		return configNames(vendors).stream()
			.map((name) -> CircuitBreakerConfigCustomizer.of(name, (builder) -> builder.recordException(VENDOR_FAULT)))
			.toList();
	}

	/**
	 * The router over every vendor account.
	 */
	@Bean
	ModelRouter modelRouter(RoutingTable routing, VendorAccounts accounts, MeterRegistry meters) {
		return new ModelRouter(routing, accounts, meters, new TokenMeter(meters));
	}

	/**
	 * The operators' token usage endpoint ({@code /actuator/tokenusage}).
	 */
	@Bean
	TokenUsageEndpoint tokenUsageEndpoint(MeterRegistry meters) {
		return new TokenUsageEndpoint(meters);
	}

	/**
	 * The platform's account of every contributed vendor and the tenants' own accounts
	 * ({@code chat.provider.tenants.<id>.vendors.<vendor>.*}), each wrapped here, in one
	 * place, in a {@link ResilientChatModel} with its own breaker, retry, rate limiter
	 * and bulkhead (a tenant account's are named {@code <vendor>@<tenant>} and configured
	 * like the platform's) and a breaker-state gauge.
	 * @throws IllegalStateException when a tenant configures a vendor this provider does
	 * not know or cannot build per tenant
	 */
	@Bean
	VendorAccounts vendorAccounts(List<ChatModel> vendors, List<VendorFactory<?>> factories,
			ConfigurableEnvironment environment, jakarta.validation.Validator validator,
			CircuitBreakerRegistry breakers, RetryRegistry retries, RateLimiterRegistry rateLimiters,
			BulkheadRegistry bulkheads, ScheduledExecutorService retryScheduler, MeterRegistry meters) {
		Map<String, ChatModel> platform = new LinkedHashMap<>();
		byName(vendors).forEach((name, vendor) -> {
			ResilientChatModel resilient = new ResilientChatModel(vendor, breakers.circuitBreaker(name),
					retries.retry(name), rateLimiters.rateLimiter(name), bulkheads.bulkhead(name), retryScheduler);
			breakerGauge(resilient, name, VendorAccounts.PLATFORM, meters);
			platform.put(name, resilient);
		});
		Map<String, VendorFactory<?>> factoryOf = new LinkedHashMap<>();
		factories.forEach((factory) -> factoryOf.put(factory.vendor(), factory));
		TenantVendorSettings settings = new TenantVendorSettings(environment, validator);
		Map<String, Map<String, ChatModel>> tenants = new LinkedHashMap<>();
		settings.accounts().forEach((tenant, own) -> own.forEach((vendor, at) -> {
			VendorFactory<?> factory = factoryOf.get(vendor);
			if (factory == null || !platform.containsKey(vendor)) {
				throw new IllegalStateException(at + ": no vendor '" + vendor
						+ "' can have tenant accounts on this provider, expected one of " + factoryOf.keySet());
			}
			String name = vendor + "@" + tenant;
			ResilientChatModel resilient = new ResilientChatModel(factory.create(settings.bind(at, factory.settings())),
					breakers.circuitBreaker(name, breakers.circuitBreaker(vendor).getCircuitBreakerConfig()),
					retries.retry(name, retries.retry(vendor).getRetryConfig()),
					rateLimiters.rateLimiter(name, rateLimiters.rateLimiter(vendor).getRateLimiterConfig()),
					bulkheads.bulkhead(name, bulkheads.bulkhead(vendor).getBulkheadConfig()), retryScheduler);
			breakerGauge(resilient, vendor, tenant, meters);
			tenants.computeIfAbsent(tenant, (each) -> new LinkedHashMap<>()).put(vendor, resilient);
		}));
		return new VendorAccounts(platform, tenants);
	}

	private static void breakerGauge(ResilientChatModel model, String vendor, String account, MeterRegistry meters) {
		Gauge.builder("chat.provider.breaker.state", model, (each) -> breakerState(each))
			.description("Circuit breaker state per vendor account: 0 closed, 1 open, 2 half-open, 3 other")
			.tag("vendor", vendor)
			.tag("account", account)
			.register(meters);
	}

	/**
	 * The routing table, starting from the local defaults, which are checked here against
	 * the contributed vendors (with or without credentials): a vendor name this provider
	 * does not know stops startup with the offending key.
	 */
	@Bean
	RoutingTable routingTable(RoutingProperties properties, List<ChatModel> vendors, MeterRegistry meters) {
		RoutingDocument document;
		try {
			document = new RoutingDocument(byName(vendors).keySet(), properties.toPolicy());
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

	/**
	 * The vendors by name, in contribution order.
	 * @throws IllegalStateException when two vendors share a name
	 */
	static Map<String, ChatModel> byName(List<ChatModel> vendors) {
		Map<String, ChatModel> byName = new LinkedHashMap<>();
		for (ChatModel vendor : vendors) {
			if (byName.putIfAbsent(vendor.vendor(), vendor) != null) {
				throw new IllegalStateException("Two vendors are named '" + vendor.vendor() + "'");
			}
		}
		return byName;
	}

	private static List<String> configNames(List<ChatModel> vendors) {
		List<String> names = new ArrayList<>(byName(vendors).keySet());
		names.add(SHARED_CONFIG);
		return names;
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
