package io.chatrelay.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * Per-request model options. {@code null} numbers mean "the vendor's default".
 *
 * @param model a model alias, or {@link #DEFAULT_MODEL} for the provider's configured
 * model
 * @param temperature sampling temperature, or {@code null}
 * @param maxTokens an upper bound for the reply length in tokens, or {@code null}
 */
public record ChatOptions(String model, Double temperature, Integer maxTokens) implements Serializable {

	/** The alias that selects the provider's configured model. */
	public static final String DEFAULT_MODEL = "default";

	/** The provider's defaults for everything. */
	public static final ChatOptions DEFAULTS = new ChatOptions(DEFAULT_MODEL, null, null);

	/**
	 * Validate the components.
	 * @param model a model alias
	 * @param temperature sampling temperature, or {@code null}
	 * @param maxTokens reply length bound, or {@code null}
	 */
	public ChatOptions {
		model = Objects.requireNonNullElse(model, DEFAULT_MODEL);
		if (maxTokens != null && maxTokens <= 0) {
			throw new IllegalArgumentException("maxTokens must be positive");
		}
	}

}
