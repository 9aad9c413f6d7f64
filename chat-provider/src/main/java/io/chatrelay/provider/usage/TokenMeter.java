package io.chatrelay.provider.usage;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.chatrelay.api.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters what each answer cost: {@code chat_provider_usage_tokens_total{tenant, vendor,
 * model, kind=prompt|completion}} and {@code chat_provider_usage_requests_total{tenant,
 * vendor, model}}, counted when a vendor reports its usage (a whole answer, or the end of
 * a stream). The tenant is the authenticated one; past {@value #MAX_TENANTS} distinct
 * tenants on one node (only possible without mutual TLS, where the tenant is whatever the
 * request says) further ones are counted as {@value #OTHER} so the series stay bounded.
 */
public class TokenMeter {

	/** The tokens counter. */
	public static final String TOKENS = "chat.provider.usage.tokens";

	/** The answers counter. */
	public static final String REQUESTS = "chat.provider.usage.requests";

	/** The tenant tag past the cap. */
	public static final String OTHER = "other";

	static final int MAX_TENANTS = 1000;

	private static final Logger log = LoggerFactory.getLogger(TokenMeter.class);

	private final MeterRegistry meters;

	private final Set<String> tenants = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean capReported = new AtomicBoolean();

	/**
	 * Create a meter.
	 * @param meters where the counters live
	 */
	public TokenMeter(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * Count one answer.
	 * @param tenantId the tenant that asked
	 * @param vendor the vendor that answered
	 * @param model the model that answered, or {@code null}
	 * @param usage what the vendor reported, or {@code null} when it reported nothing
	 */
	public void record(String tenantId, String vendor, String model, TokenUsage usage) {
		String tenant = tenantTag(tenantId);
		String modelTag = (model != null) ? model : "unknown";
		Counter.builder(REQUESTS)
			.description("Answers by tenant, vendor and model")
			.tag("tenant", tenant)
			.tag("vendor", vendor)
			.tag("model", modelTag)
			.register(this.meters)
			.increment();
		if (usage == null) {
			return;
		}
		tokens(tenant, vendor, modelTag, "prompt").increment(usage.promptTokens());
		tokens(tenant, vendor, modelTag, "completion").increment(usage.completionTokens());
	}

	private Counter tokens(String tenant, String vendor, String model, String kind) {
		return Counter.builder(TOKENS)
			.description("Tokens vendors reported, by tenant, vendor, model and kind (prompt, completion)")
			.baseUnit("tokens")
			.tag("tenant", tenant)
			.tag("vendor", vendor)
			.tag("model", model)
			.tag("kind", kind)
			.register(this.meters);
	}

	private String tenantTag(String tenantId) {
		String tenant = (tenantId != null && !tenantId.isBlank()) ? tenantId : "unknown";
		if (this.tenants.contains(tenant)) {
			return tenant;
		}
		if (this.tenants.size() < MAX_TENANTS) {
			this.tenants.add(tenant);
			return tenant;
		}
		if (this.capReported.compareAndSet(false, true)) {
			log.warn("More than {} tenants on this provider: usage of further ones is counted as tenant '{}'",
					MAX_TENANTS, OTHER);
		}
		return OTHER;
	}

}
