package io.chatrelay.client.channel;

import java.util.concurrent.CompletableFuture;

/**
 * Delivers an answer through a platform's send API, split into ordered parts within the
 * platform's size limit. One per channel.
 */
public interface ReplySender {

	/**
	 * The channel this sender answers for.
	 * @return the channel name
	 */
	String channel();

	/**
	 * Send an answer to where the message came from.
	 * @param message the message being answered
	 * @param text the whole answer
	 * @return completes when every part was accepted by the platform; fails with a
	 * {@link PlatformApiException}
	 */
	CompletableFuture<Void> send(ChannelMessage message, String text);

}
