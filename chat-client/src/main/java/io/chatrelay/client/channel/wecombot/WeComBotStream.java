package io.chatrelay.client.channel.wecombot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a WeCom bot stream shows: the whole answer so far (cumulative) and whether it is
 * final. Stored as a Redis hash ({@link #fields()}), so that any node can answer the
 * refresh callbacks.
 *
 * @param content the answer so far, at most
 * {@value WeComBotCodec#MAX_STREAM_CONTENT_BYTES} UTF-8 bytes
 * @param finish whether the answer is complete (or failed with an apology)
 * @param startedMillis when the user's message was accepted
 */
record WeComBotStream(String content, boolean finish, long startedMillis) {

	/** Appended to a stream that is cut off at the deadline. */
	static final String DEADLINE_NOTE = "\n\n（回答超时，已停止。The answer took too long and was stopped.）";

	/** The answer to a refresh for a stream this node does not know (expired). */
	static final WeComBotStream UNKNOWN = new WeComBotStream("", true, 0);

	static final String CONTENT = "content";

	static final String FINISH = "finish";

	static final String STARTED = "started";

	private static final int NOTE_BYTES = DEADLINE_NOTE.getBytes(StandardCharsets.UTF_8).length;

	WeComBotStream {
		content = Utf8.truncate(Objects.requireNonNull(content, "content"), WeComBotCodec.MAX_STREAM_CONTENT_BYTES);
	}

	/**
	 * A stream that has just started: nothing to show yet.
	 * @param startedMillis when the message was accepted
	 * @return the empty, unfinished stream
	 */
	static WeComBotStream started(long startedMillis) {
		return new WeComBotStream("", false, startedMillis);
	}

	/**
	 * The hash fields this stream is stored as.
	 * @return {@code content}, {@code finish} ({@code 0}/{@code 1}) and {@code started}
	 * (epoch millis)
	 */
	Map<String, String> fields() {
		return Map.of(CONTENT, this.content, FINISH, this.finish ? "1" : "0", STARTED,
				Long.toString(this.startedMillis));
	}

	/**
	 * Read a stored stream.
	 * @param fields the hash, empty when the key does not exist
	 * @return the stream, empty when the hash is empty or not one of ours
	 */
	static Optional<WeComBotStream> of(Map<String, String> fields) {
		if (fields == null || !fields.containsKey(FINISH)) {
			return Optional.empty();
		}
		long started;
		try {
			started = Long.parseLong(fields.getOrDefault(STARTED, "0"));
		}
		catch (NumberFormatException ex) {
			started = 0;
		}
		return Optional
			.of(new WeComBotStream(fields.getOrDefault(CONTENT, ""), "1".equals(fields.get(FINISH)), started));
	}

	/**
	 * What to show at a moment: the stream itself, or, when it is still unfinished past
	 * the deadline, what there is with a note, as final (WeCom stops asking at 6 min).
	 * @param nowMillis the moment
	 * @param deadline how long after its start a stream may stay unfinished
	 * @return the stream to answer with
	 */
	WeComBotStream asOf(long nowMillis, Duration deadline) {
		if (this.finish || nowMillis - this.startedMillis < deadline.toMillis()) {
			return this;
		}
		String shown = this.content.isEmpty() ? DEADLINE_NOTE.strip()
				: Utf8.truncate(this.content, WeComBotCodec.MAX_STREAM_CONTENT_BYTES - NOTE_BYTES) + DEADLINE_NOTE;
		return new WeComBotStream(shown, true, this.startedMillis);
	}

	@Override
	public String toString() {
		// Never the content.
		return "WeComBotStream[chars=" + this.content.length() + ", finish=" + this.finish + ", startedMillis="
				+ this.startedMillis + "]";
	}

}
