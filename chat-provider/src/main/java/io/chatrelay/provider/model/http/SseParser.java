package io.chatrelay.provider.model.http;

import java.util.Objects;

/**
 * An incremental parser for {@code text/event-stream} bodies that reports the data of
 * each event, for any vendor that streams data-only server-sent events (OpenAI, Zhipu,
 * Qianfan v2).
 *
 * <p>
 * It follows the WHATWG event-stream rules where they matter to LLM streams:
 * <ul>
 * <li>lines end with LF, CRLF or CR (also when {@link #feed(CharSequence) fed} in chunks
 * that split a CRLF);</li>
 * <li>a blank line dispatches the pending event;</li>
 * <li>lines starting with {@code :} are comments (keep-alives) and are ignored, as are
 * the {@code event}, {@code id}, {@code retry} and unknown fields;</li>
 * <li>{@code data:value} and {@code data: value} are the same (one leading space is
 * removed); several {@code data} lines of one event are joined with {@code "\n"};</li>
 * <li>data equal to {@code [DONE]} is reported through {@link Listener#onDone()}, never
 * as data.</li>
 * </ul>
 *
 * <p>
 * <strong>Tolerance for missing blank lines.</strong> Some vendors' documentation
 * (Zhipu's) shows events with no blank line between them. Rule: when a {@code data} line
 * arrives while the pending data is already a complete JSON object or array, or is
 * {@code [DONE]}, the pending data is dispatched first as an event of its own. Pending
 * data that is not a complete JSON value yet (pretty-printed JSON, plain text) is joined
 * as the standard says, so well-formed streams parse exactly as before.
 *
 * <p>
 * Not thread-safe: feed one instance from one thread at a time (a
 * {@link java.util.concurrent.Flow.Subscriber} receives its items serially).
 */
public final class SseParser {

	private static final String DONE = "[DONE]";

	private final Listener listener;

	private final StringBuilder data = new StringBuilder();

	private final StringBuilder partialLine = new StringBuilder();

	private boolean hasData;

	private boolean lastWasCarriageReturn;

	/**
	 * Create a parser.
	 * @param listener receives the events
	 */
	public SseParser(Listener listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
	}

	/**
	 * Feed one complete line without its terminator (a trailing CR is tolerated).
	 * @param line the line
	 */
	public void line(String line) {
		String value = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
		if (value.isEmpty()) {
			dispatch();
			return;
		}
		if (value.charAt(0) == ':') {
			return;
		}
		int colon = value.indexOf(':');
		String field = (colon < 0) ? value : value.substring(0, colon);
		if (!"data".equals(field)) {
			return;
		}
		String payload = "";
		if (colon >= 0) {
			int start = colon + 1;
			if (start < value.length() && value.charAt(start) == ' ') {
				start++;
			}
			payload = value.substring(start);
		}
		appendData(payload);
	}

	/**
	 * Feed a piece of text; lines may span several pieces.
	 * @param text the next characters of the body
	 */
	public void feed(CharSequence text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\n' && this.lastWasCarriageReturn) {
				this.lastWasCarriageReturn = false;
				continue;
			}
			this.lastWasCarriageReturn = (c == '\r');
			if (c == '\n' || c == '\r') {
				String completed = this.partialLine.toString();
				this.partialLine.setLength(0);
				line(completed);
			}
			else {
				this.partialLine.append(c);
			}
		}
	}

	/**
	 * Signal the end of the body: a last line without terminator and a pending event
	 * without a closing blank line are still reported.
	 */
	public void end() {
		if (this.partialLine.length() > 0) {
			String completed = this.partialLine.toString();
			this.partialLine.setLength(0);
			line(completed);
		}
		this.lastWasCarriageReturn = false;
		dispatch();
	}

	private void appendData(String payload) {
		if (this.hasData && isCompleteEvent(this.data)) {
			dispatch();
		}
		if (this.hasData) {
			this.data.append('\n');
		}
		this.data.append(payload);
		this.hasData = true;
	}

	private void dispatch() {
		if (!this.hasData) {
			return;
		}
		String payload = this.data.toString();
		this.data.setLength(0);
		this.hasData = false;
		if (DONE.equals(payload.strip())) {
			this.listener.onDone();
		}
		else {
			this.listener.onData(payload);
		}
	}

	/**
	 * Whether pending data already forms a whole event: {@code [DONE]} or one complete
	 * JSON object or array (brackets balanced outside strings).
	 * @param text the pending data
	 * @return {@code true} if a further {@code data} line must start a new event
	 */
	static boolean isCompleteEvent(CharSequence text) {
		String trimmed = text.toString().strip();
		if (DONE.equals(trimmed)) {
			return true;
		}
		if (trimmed.isEmpty() || (trimmed.charAt(0) != '{' && trimmed.charAt(0) != '[')) {
			return false;
		}
		int depth = 0;
		boolean inString = false;
		boolean escaped = false;
		for (int i = 0; i < trimmed.length(); i++) {
			char c = trimmed.charAt(i);
			if (inString) {
				if (escaped) {
					escaped = false;
				}
				else if (c == '\\') {
					escaped = true;
				}
				else if (c == '"') {
					inString = false;
				}
			}
			else if (c == '"') {
				inString = true;
			}
			else if (c == '{' || c == '[') {
				depth++;
			}
			else if ((c == '}' || c == ']') && --depth == 0) {
				return i == trimmed.length() - 1;
			}
		}
		return false;
	}

	/**
	 * Receives the events of a {@link SseParser}.
	 */
	public interface Listener {

		/**
		 * One event's data (possibly empty, never {@code [DONE]}).
		 * @param data the data lines of the event joined with {@code "\n"}
		 */
		void onData(String data);

		/**
		 * The stream sent {@code data: [DONE]}.
		 */
		void onDone();

	}

}
