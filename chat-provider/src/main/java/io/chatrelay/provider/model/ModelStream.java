package io.chatrelay.provider.model;

/**
 * A running model stream.
 */
@FunctionalInterface
public interface ModelStream {

	/**
	 * Stop the upstream call; the listener gets no further calls. Safe to call more than
	 * once and after the stream ended.
	 */
	void cancel();

}
