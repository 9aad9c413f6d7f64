package io.chatrelay.api;

import java.io.Serializable;

/**
 * A "next version" of {@link ChatReply} as a newer provider would send it: the same
 * components plus one optional component added at the end. Its name has the same length
 * as {@code ChatReply} so that a test can rename it in the serialized bytes.
 */
record ChatRepl2(String text, String vendor, String model, ChatRoute route, String finishReason, TokenUsage usage,
		long latencyMillis, String sentiment) implements Serializable {
}
