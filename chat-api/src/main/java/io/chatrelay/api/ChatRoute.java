package io.chatrelay.api;

/**
 * How a provider chose the vendor that answered.
 */
public enum ChatRoute {

	/** The configured primary vendor answered. */
	PRIMARY,

	/** The primary failed (or its breaker was open) and a fallback vendor answered. */
	FALLBACK,

	/** Operators switched on degrade mode and the degrade target answered. */
	DEGRADED

}
