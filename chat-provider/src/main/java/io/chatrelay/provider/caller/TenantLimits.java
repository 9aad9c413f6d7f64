package io.chatrelay.provider.caller;

import java.util.List;

import jakarta.validation.constraints.Positive;

/**
 * What one tenant may ask for ({@code chat.provider.tenants.<id>.*}, or
 * {@code chat.provider.tenant-defaults.*}). A component left out of a tenant's entry is
 * taken from the defaults.
 *
 * @param models the model aliases the tenant may name in {@code options.model}
 * ({@code default} means "whatever routing picks" and must be listed like any other)
 * @param maxTokens the largest {@code options.maxTokens} accepted
 * @param maxMessages the most messages one request may carry
 * @param maxChars the most characters all messages of one request may carry together
 */
public record TenantLimits(List<String> models, @Positive Integer maxTokens, @Positive Integer maxMessages,
		@Positive Integer maxChars) {

	/** Used for a component neither the tenant nor the defaults set. */
	static final TenantLimits BUILT_IN = new TenantLimits(List.of("default"), 4096, 200, 400_000);

	public TenantLimits {
		models = (models != null) ? List.copyOf(models) : null;
	}

	/**
	 * These limits with every missing component taken from others.
	 * @param fallback where missing components come from
	 * @return complete limits when the fallback is complete
	 */
	TenantLimits or(TenantLimits fallback) {
		return new TenantLimits((this.models != null) ? this.models : fallback.models,
				(this.maxTokens != null) ? this.maxTokens : fallback.maxTokens,
				(this.maxMessages != null) ? this.maxMessages : fallback.maxMessages,
				(this.maxChars != null) ? this.maxChars : fallback.maxChars);
	}

}
