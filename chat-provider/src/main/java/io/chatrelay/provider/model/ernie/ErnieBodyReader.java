package io.chatrelay.provider.model.ernie;

import java.util.Objects;

import io.chatrelay.provider.model.http.BodyReader;
import io.chatrelay.provider.model.http.SseParser;

/**
 * Reads the body of a stream request line by line, whichever shape it has: v1 may answer
 * {@code stream=true} with a plain JSON document (an {@code error_code} body with HTTP
 * 200 and {@code application/json}) instead of server-sent events, so the shape is taken
 * from the first non-blank line rather than from the content type. SSE lines go to an
 * {@link SseParser}; a JSON document is collected (up to {@link #MAX_JSON_BODY}
 * characters) and reported once the body ends.
 *
 * <p>
 * Not thread-safe: feed it from the serial subscriber callbacks of one response.
 */
final class ErnieBodyReader implements BodyReader {

	/** Largest plain JSON body collected. */
	static final int MAX_JSON_BODY = 1 << 20;

	private final Listener listener;

	private final SseParser parser;

	private final StringBuilder json = new StringBuilder();

	/** {@code null} until the first non-blank line. */
	private Boolean sse;

	ErnieBodyReader(Listener listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
		this.parser = new SseParser(listener);
	}

	/**
	 * Feed one line without its terminator.
	 * @param line the line
	 * @return {@code false} when a JSON body grew beyond {@link #MAX_JSON_BODY}
	 */
	@Override
	public boolean line(String line) {
		if (this.sse == null) {
			if (line.isBlank()) {
				return true;
			}
			this.sse = line.startsWith("data:") || line.startsWith(":") || line.startsWith("event:")
					|| line.startsWith("id:") || line.startsWith("retry:");
		}
		if (this.sse) {
			this.parser.line(line);
			return true;
		}
		if (this.json.length() + line.length() > MAX_JSON_BODY) {
			return false;
		}
		this.json.append(line).append('\n');
		return true;
	}

	/**
	 * The body ended: report a pending SSE event or the JSON document.
	 */
	@Override
	public void end() {
		if (Boolean.FALSE.equals(this.sse)) {
			this.listener.onJson(this.json.toString());
		}
		else {
			this.parser.end();
		}
	}

	/**
	 * Receives what the body holds.
	 */
	interface Listener extends SseParser.Listener {

		/**
		 * The body was one plain JSON document, now complete.
		 * @param json the document
		 */
		void onJson(String json);

	}

}
