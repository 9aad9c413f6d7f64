package io.chatrelay.provider.model.http;

/**
 * Reads the body of a 2xx stream answer line by line (no thread waits on I/O) and reports
 * what it holds. {@link SseHttpStream} feeds one reader per HTTP exchange, from the
 * serial subscriber callbacks, so a reader need not be thread-safe.
 */
public interface BodyReader {

	/**
	 * Feed one line without its terminator.
	 * @param line the line
	 * @return {@code false} when the body grew too large
	 */
	boolean line(String line);

	/**
	 * The body ended: report whatever is still pending.
	 */
	void end();

	/**
	 * A reader of server-sent events, the default.
	 * @param events receives the data events and {@code [DONE]}
	 * @return a new reader
	 */
	static BodyReader serverSentEvents(SseParser.Listener events) {
		SseParser parser = new SseParser(events);
		return new BodyReader() {

			@Override
			public boolean line(String line) {
				parser.line(line);
				return true;
			}

			@Override
			public void end() {
				parser.end();
			}

		};
	}

}
