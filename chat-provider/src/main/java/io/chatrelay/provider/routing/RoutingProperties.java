package io.chatrelay.provider.routing;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The local routing defaults ({@code chat.provider.routing.*}): used until a routing
 * document is published in the config center, for keys the document leaves out, and again
 * when the document is deleted.
 *
 * @param primary the vendor tried first
 * @param fallback the vendors tried next, in order
 * @param degrade the degrade switch
 * @param tenants routes of their own for some tenants
 * ({@code chat.provider.routing.tenants.<id>.*}), each component optional
 */
@Validated
@ConfigurationProperties("chat.provider.routing")
public record RoutingProperties(@NotBlank @DefaultValue("chatgpt") String primary, @NotNull @DefaultValue( {
		"chatglm", "ernie" }) List<String> fallback, @Valid @NotNull @DefaultValue Degrade degrade,
		Map<String, TenantRouting> tenants){

	public RoutingProperties {
		tenants = (tenants != null) ? Map.copyOf(tenants) : Map.of();
	}

	/**
	 * The degrade switch.
	 *
	 * @param enabled whether every request goes to the target
	 * @param target the vendor that answers while degraded
	 */
	public record Degrade(@DefaultValue("false") boolean enabled, @NotBlank @DefaultValue("chatglm") String target) {
	}

	/**
	 * A tenant's own route; a component left out is the top level's.
	 *
	 * @param primary the tenant's first vendor
	 * @param fallback the tenant's fallback chain
	 * @param degrade the tenant's own degrade settings
	 */
	public record TenantRouting(String primary, List<String> fallback, TenantDegrade degrade) {

		RoutingPolicy.TenantRoute toRoute() {
			return new RoutingPolicy.TenantRoute(this.primary, this.fallback,
					(this.degrade != null) ? this.degrade.enabled() : null,
					(this.degrade != null) ? this.degrade.target() : null);
		}

	}

	/**
	 * A tenant's own degrade settings.
	 *
	 * @param enabled {@code true} degrades this tenant alone
	 * @param target the vendor answering this tenant while degraded
	 */
	public record TenantDegrade(Boolean enabled, String target) {
	}

	/**
	 * As a policy.
	 * @return the policy
	 */
	public RoutingPolicy toPolicy() {
		return new RoutingPolicy(this.primary, this.fallback, this.degrade.enabled(), this.degrade.target(),
				this.tenants.entrySet()
					.stream()
					.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().toRoute())));
	}

}
