package io.chatrelay.provider.caller;

import java.util.Map;
import java.util.stream.Collectors;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRequest;

/**
 * What a tenant may ask for: which models, how many tokens, how many messages and how
 * much text. Checked before a request is routed, so a refused request costs no vendor
 * call.
 */
final class TenantPolicy {

	private final Map<String, TenantLimits> tenants;

	private final TenantLimits defaults;

	TenantPolicy(TenantProperties properties) {
		this.defaults = properties.tenantDefaults();
		this.tenants = properties.tenants()
			.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (entry) -> entry.getValue().or(this.defaults)));
	}

	/**
	 * Refuse a request its tenant may not make.
	 * @param request the request, whose tenant is already authenticated
	 * @throws ChatException {@code BAD_REQUEST} naming the limit that was exceeded
	 */
	void check(ChatRequest request) {
		TenantLimits limits = limitsOf(request.tenantId());
		String model = request.options().model();
		if (!limits.models().contains(model)) {
			throw refused("model '" + model + "' is not allowed for tenant " + request.tenantId() + " (allowed: "
					+ String.join(", ", limits.models()) + ")");
		}
		Integer maxTokens = request.options().maxTokens();
		if (maxTokens != null && maxTokens > limits.maxTokens()) {
			throw refused("maxTokens " + maxTokens + " exceeds the tenant's limit of " + limits.maxTokens());
		}
		if (request.messages().size() > limits.maxMessages()) {
			throw refused(request.messages().size() + " messages exceed the tenant's limit of " + limits.maxMessages());
		}
		long chars = 0;
		for (ChatMessage message : request.messages()) {
			chars += message.content().length();
		}
		if (chars > limits.maxChars()) {
			throw refused(chars + " characters exceed the tenant's limit of " + limits.maxChars());
		}
	}

	TenantLimits limitsOf(String tenantId) {
		return this.tenants.getOrDefault(tenantId, this.defaults);
	}

	private static ChatException refused(String reason) {
		return new ChatException(ChatErrorCode.BAD_REQUEST, "Refused by tenant policy: " + reason);
	}

}
