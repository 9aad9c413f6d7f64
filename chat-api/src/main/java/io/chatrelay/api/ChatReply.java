package io.chatrelay.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * A whole answer.
 *
 * @param text the reply text
 * @param vendor the vendor that answered ({@code chatgpt}, {@code chatglm},
 * {@code ernie})
 * @param model the vendor's model name that answered
 * @param route whether the primary, a fallback or the degrade target answered
 * @param finishReason why the model stopped ({@code stop}, {@code length}, ...)
 * @param usage tokens billed
 * @param latencyMillis time spent in the provider, vendor call included
 */
public record ChatReply(String text, String vendor, String model, ChatRoute route, String finishReason,
		TokenUsage usage, long latencyMillis) implements Serializable {

	/**
	 * Validate the components.
	 * @param text the reply text
	 * @param vendor vendor
	 * @param model model
	 * @param route route
	 * @param finishReason finish reason
	 * @param usage usage, {@code null} when unknown
	 * @param latencyMillis latency
	 */
	public ChatReply {
		Objects.requireNonNull(text, "text");
		Objects.requireNonNull(vendor, "vendor");
		Objects.requireNonNull(model, "model");
		route = Objects.requireNonNullElse(route, ChatRoute.PRIMARY);
		usage = Objects.requireNonNullElse(usage, TokenUsage.UNKNOWN);
	}

	/**
	 * Whether anything but the primary vendor answered.
	 * @return {@code true} for fallback and degraded answers
	 */
	public boolean degraded() {
		return this.route != ChatRoute.PRIMARY;
	}

}
