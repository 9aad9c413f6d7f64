package io.chatrelay.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * One piece of a streamed answer. Every chunk but the last carries only a text delta; the
 * last one carries either the finish reason, the usage and who answered, or the
 * {@link #error()} that ended the stream.
 *
 * <p>
 * Errors travel inside the stream rather than through {@code StreamObserver.onError}
 * because Triple reduces a streamed exception to a status code and a message, which would
 * lose the {@link ChatErrorCode}.
 *
 * @param delta text to append, possibly empty
 * @param finishReason {@code null} until the last chunk
 * @param usage tokens billed, on the last chunk only
 * @param vendor the vendor that answered, on the last chunk only
 * @param model the model that answered, on the last chunk only
 * @param route how the vendor was chosen, on the last chunk only
 * @param error why the stream failed, on a failed last chunk only
 */
public record ChatChunk(String delta, String finishReason, TokenUsage usage, String vendor, String model,
		ChatRoute route, ChatException error) implements Serializable {

	/**
	 * Validate the components.
	 * @param delta the delta
	 * @param finishReason finish reason
	 * @param usage usage
	 * @param vendor vendor
	 * @param model model
	 * @param route route
	 * @param error error
	 */
	public ChatChunk {
		delta = Objects.requireNonNullElse(delta, "");
	}

	/**
	 * A successful last chunk, or a delta when {@code finishReason} is {@code null}.
	 * @param delta the delta
	 * @param finishReason finish reason
	 * @param usage usage
	 * @param vendor vendor
	 * @param model model
	 * @param route route
	 */
	public ChatChunk(String delta, String finishReason, TokenUsage usage, String vendor, String model,
			ChatRoute route) {
		this(delta, finishReason, usage, vendor, model, route, null);
	}

	/**
	 * A chunk that only carries text.
	 * @param delta the text
	 * @return the chunk
	 */
	public static ChatChunk delta(String delta) {
		return new ChatChunk(delta, null, null, null, null, null, null);
	}

	/**
	 * The last chunk of a failed stream.
	 * @param error why it failed
	 * @return the chunk
	 */
	public static ChatChunk failure(ChatException error) {
		return new ChatChunk("", null, null, null, null, null, Objects.requireNonNull(error, "error"));
	}

	/**
	 * Whether this is the final chunk of a stream.
	 * @return {@code true} when a finish reason or an error is set
	 */
	public boolean last() {
		return this.finishReason != null || this.error != null;
	}

}
