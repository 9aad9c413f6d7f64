package io.chatrelay.client.intake;

/**
 * A callback for a channel whose credentials are not configured on this node: answered
 * with 404, as if the endpoint did not exist.
 */
public class ChannelDisabledException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param channel the channel
	 */
	public ChannelDisabledException(String channel) {
		super("Channel " + channel + " is not configured on this node");
	}

}
