package io.chatrelay.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * One piece of a streamed answer. Every chunk but the last carries only a text delta; the
 * last one carries the finish reason, the usage and who answered.
 *
 * @param delta text to append, possibly empty
 * @param finishReason {@code null} until the last chunk
 * @param usage tokens billed, on the last chunk only
 * @param vendor the vendor that answered, on the last chunk only
 * @param model the model that answered, on the last chunk only
 * @param route how the vendor was chosen, on the last chunk only
 */
public record ChatChunk(String delta, String finishReason, TokenUsage usage, String vendor, String model,
		ChatRoute route) implements Serializable {

	/**
	 * Validate the components.
	 * @param delta the delta
	 * @param finishReason finish reason
	 * @param usage usage
	 * @param vendor vendor
	 * @param model model
	 * @param route route
	 */
	public ChatChunk {
		delta = Objects.requireNonNullElse(delta, "");
	}

	/**
	 * A chunk that only carries text.
	 * @param delta the text
	 * @return the chunk
	 */
	public static ChatChunk delta(String delta) {
		return new ChatChunk(delta, null, null, null, null, null);
	}

	/**
	 * Whether this is the final chunk of a stream.
	 * @return {@code true} when a finish reason is set
	 */
	public boolean last() {
		return this.finishReason != null;
	}

}
