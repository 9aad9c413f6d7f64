package io.chatrelay.client.intake;

import java.util.List;

/**
 * A platform channel's settings, as far as the startup report needs them.
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

}
