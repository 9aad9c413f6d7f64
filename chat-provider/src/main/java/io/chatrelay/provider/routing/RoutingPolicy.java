package io.chatrelay.provider.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.chatrelay.api.ChatRoute;

/**
 * Which vendors answer, in which order: the routing document of DESIGN.md §4 as a value.
 *
 * @param primary the vendor tried first
 * @param fallback vendors tried in order when the one before failed with a retriable
 * error or its breaker is open
 * @param degradeEnabled the operators' manual switch
 * @param degradeTarget the vendor that answers every request while degraded
 * @param tenants routes of their own for some tenants, by tenant id; a tenant not listed
 * follows this policy
 */
public record RoutingPolicy(String primary, List<String> fallback, boolean degradeEnabled, String degradeTarget,
		Map<String, TenantRoute> tenants) {

	/**
	 * Validate and copy.
	 * @param primary primary vendor
	 * @param fallback fallback chain
	 * @param degradeEnabled degrade switch
	 * @param degradeTarget degrade target
	 * @param tenants tenants' own routes
	 */
	public RoutingPolicy {
		Objects.requireNonNull(primary, "primary");
		fallback = List.copyOf(Objects.requireNonNull(fallback, "fallback"));
		Objects.requireNonNull(degradeTarget, "degradeTarget");
		tenants = Map.copyOf(Objects.requireNonNull(tenants, "tenants"));
	}

	/**
	 * A policy without tenant routes.
	 * @param primary primary vendor
	 * @param fallback fallback chain
	 * @param degradeEnabled degrade switch
	 * @param degradeTarget degrade target
	 */
	public RoutingPolicy(String primary, List<String> fallback, boolean degradeEnabled, String degradeTarget) {
		this(primary, fallback, degradeEnabled, degradeTarget, Map.of());
	}

	/**
	 * The policy one tenant's requests follow: its own route's components where it has
	 * them, this policy's for the rest. The operators' degrade switch degrades every
	 * tenant (each to its own target); a tenant's own {@code degrade.enabled: true}
	 * degrades that tenant alone.
	 * @param tenantId the tenant
	 * @return this policy when the tenant has no route of its own
	 */
	public RoutingPolicy forTenant(String tenantId) {
		TenantRoute route = (tenantId != null) ? this.tenants.get(tenantId) : null;
		if (route == null) {
			return this;
		}
		return new RoutingPolicy((route.primary() != null) ? route.primary() : this.primary,
				(route.fallback() != null) ? route.fallback() : this.fallback,
				this.degradeEnabled || Boolean.TRUE.equals(route.degradeEnabled()),
				(route.degradeTarget() != null) ? route.degradeTarget() : this.degradeTarget);
	}

	/**
	 * The vendors to try for one request, in order, each with the route it counts as.
	 * @return never empty; no vendor twice
	 */
	public List<Step> chain() {
		if (this.degradeEnabled) {
			return List.of(new Step(this.degradeTarget, ChatRoute.DEGRADED));
		}
		Set<String> seen = new LinkedHashSet<>();
		List<Step> steps = new ArrayList<>();
		seen.add(this.primary);
		steps.add(new Step(this.primary, ChatRoute.PRIMARY));
		for (String vendor : this.fallback) {
			if (seen.add(vendor)) {
				steps.add(new Step(vendor, ChatRoute.FALLBACK));
			}
		}
		return steps;
	}

	/**
	 * The mode for logs and metrics.
	 * @return {@code degraded} or {@code normal}
	 */
	public String mode() {
		return this.degradeEnabled ? "degraded" : "normal";
	}

	@Override
	public String toString() {
		String own = this.tenants.isEmpty() ? "" : ", own routes for " + new TreeSet<>(this.tenants.keySet());
		return (this.degradeEnabled ? "degraded to " + this.degradeTarget
				: "primary " + this.primary + ", fallback " + this.fallback) + own;
	}

	/**
	 * A tenant's own route: each component left {@code null} is the policy's.
	 *
	 * @param primary the tenant's first vendor
	 * @param fallback the tenant's fallback chain
	 * @param degradeEnabled {@code true} to degrade this tenant alone
	 * @param degradeTarget the vendor answering this tenant while degraded
	 */
	public record TenantRoute(String primary, List<String> fallback, Boolean degradeEnabled, String degradeTarget) {

		/**
		 * Copy.
		 * @param primary primary vendor
		 * @param fallback fallback chain
		 * @param degradeEnabled own degrade switch
		 * @param degradeTarget degrade target
		 */
		public TenantRoute {
			fallback = (fallback != null) ? List.copyOf(fallback) : null;
		}

	}

	/**
	 * One vendor of a chain.
	 *
	 * @param vendor the vendor name
	 * @param route what an answer from it counts as
	 */
	public record Step(String vendor, ChatRoute route) {
	}

}
