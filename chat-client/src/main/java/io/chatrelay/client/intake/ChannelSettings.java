package io.chatrelay.client.intake;

import java.util.List;

/**
 * A platform channel's settings, as far as the shared intake needs them: the startup
 * report and the callback body limit.
 */
public interface ChannelSettings {

	/**
	 * The channel name.
	 * @return the name
	 */
	String channel();

	/**
	 * The credentials that are not set.
	 * @return property names, empty when the channel is enabled
	 */
	List<String> missing();

	/**
	 * The largest callback body read before it is authenticated: sized to the platform's
	 * largest legitimate message, larger ones are answered 413.
	 * @return bytes
	 */
	int maxBodyBytes();

}
