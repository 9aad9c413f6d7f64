package io.chatrelay.client.dispatch;

import java.util.concurrent.CompletableFuture;

import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.PlatformApiException;

/**
 * Delivers one part of an answer through a platform's send API. The
 * {@link MessageAnswerer} splits the answer into parts of at most
 * {@link #partLimitBytes()} and sends them in order, retrying a part the platform refused
 * with a retriable error (parts already delivered are not sent again). One per channel.
 */
public interface ReplySender {

	/**
	 * The channel this sender answers for.
	 * @return the channel name
	 */
	String channel();

	/**
	 * The largest part the platform takes, in UTF-8 bytes.
	 * @return the limit
	 */
	int partLimitBytes();

	/**
	 * Send one part to where the message came from.
	 * @param message the message being answered
	 * @param part the text of this part (never blank)
	 * @param index the part's position, from 0 (for idempotency keys)
	 * @return completes when the platform accepted the part; fails with a
	 * {@link PlatformApiException}
	 */
	CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index);

}
