package io.chatrelay.provider.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.chatrelay.api.ChatRoute;

/**
 * Which vendors answer, in which order: the routing document of DESIGN.md §4 as a value.
 *
 * @param primary the vendor tried first
 * @param fallback vendors tried in order when the one before failed with a retriable
 * error or its breaker is open
 * @param degradeEnabled the operators' manual switch
 * @param degradeTarget the vendor that answers every request while degraded
 */
public record RoutingPolicy(String primary, List<String> fallback, boolean degradeEnabled, String degradeTarget) {

	/**
	 * Validate and copy.
	 * @param primary primary vendor
	 * @param fallback fallback chain
	 * @param degradeEnabled degrade switch
	 * @param degradeTarget degrade target
	 */
	public RoutingPolicy {
		Objects.requireNonNull(primary, "primary");
		fallback = List.copyOf(Objects.requireNonNull(fallback, "fallback"));
		Objects.requireNonNull(degradeTarget, "degradeTarget");
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
		return this.degradeEnabled ? "degraded to " + this.degradeTarget
				: "primary " + this.primary + ", fallback " + this.fallback;
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
