package io.chatrelay.api;

import java.io.Serializable;

/**
 * Tokens a vendor billed for one call.
 *
 * @param promptTokens tokens of the input (context included)
 * @param completionTokens tokens of the reply
 * @param totalTokens the sum the vendor reported
 */
public record TokenUsage(int promptTokens, int completionTokens, int totalTokens) implements Serializable {

	/** Usage that the vendor did not report. */
	public static final TokenUsage UNKNOWN = new TokenUsage(0, 0, 0);

}
