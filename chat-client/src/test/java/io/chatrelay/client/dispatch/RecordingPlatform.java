package io.chatrelay.client.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.platform.PlatformApiException;

/**
 * Stands in for a chat platform's send API: records every part sent to it, in order, with
 * the node that sent it and when; refuses the parts it is told to.
 */
final class RecordingPlatform {

	/** The test channel. */
	static final String CHANNEL = "test";

	private final List<Sent> log = Collections.synchronizedList(new ArrayList<>());

	private volatile Function<ChannelMessage, PlatformApiException> refusal = (message) -> null;

	/**
	 * Refuse the parts of some messages.
	 * @param refusal the failure for a message, {@code null} to accept its parts
	 */
	void refuse(Function<ChannelMessage, PlatformApiException> refusal) {
		this.refusal = refusal;
	}

	/**
	 * The send API as one node uses it.
	 * @param node the node's name, recorded with each part
	 * @return the node's reply sender for the test channel
	 */
	ReplySender sender(String node) {
		return new ReplySender() {

			@Override
			public String channel() {
				return CHANNEL;
			}

			@Override
			public int partLimitBytes() {
				return 2048;
			}

			@Override
			public CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index) {
				PlatformApiException refused = RecordingPlatform.this.refusal.apply(message);
				RecordingPlatform.this.log.add(new Sent(node, message.messageId(), message.conversationId(), part,
						System.nanoTime(), refused == null));
				return (refused != null) ? CompletableFuture.failedFuture(refused)
						: CompletableFuture.completedFuture(null);
			}

		};
	}

	/**
	 * Every send, delivered or refused, in the order it was made.
	 * @return the sends
	 */
	List<Sent> attempts() {
		synchronized (this.log) {
			return List.copyOf(this.log);
		}
	}

	/**
	 * The parts the platform accepted, in the order it accepted them.
	 * @return the parts
	 */
	List<Sent> delivered() {
		return attempts().stream().filter(Sent::delivered).toList();
	}

	/**
	 * The parts delivered for one conversation, in order.
	 * @param conversationId the conversation
	 * @return their texts
	 */
	List<String> deliveredTo(String conversationId) {
		return delivered().stream()
			.filter((sent) -> sent.conversationId().equals(conversationId))
			.map(Sent::text)
			.toList();
	}

	/**
	 * The parts delivered for one message.
	 * @param messageId the message
	 * @return the parts
	 */
	List<Sent> deliveredFor(String messageId) {
		return delivered().stream().filter((sent) -> sent.messageId().equals(messageId)).toList();
	}

	/**
	 * One part sent to the platform.
	 *
	 * @param node the node that sent it
	 * @param messageId the message it answers
	 * @param conversationId the message's conversation
	 * @param text the part
	 * @param atNanos when it was sent ({@link System#nanoTime()})
	 * @param delivered whether the platform accepted it
	 */
	record Sent(String node, String messageId, String conversationId, String text, long atNanos, boolean delivered) {
	}

}
