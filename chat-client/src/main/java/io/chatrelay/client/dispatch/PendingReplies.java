package io.chatrelay.client.dispatch;

import java.util.Optional;

import io.chatrelay.client.inbox.ChannelMessage;

/**
 * Answers generated but not yet wholly delivered, kept so that a later attempt (after the
 * platform refused a part for now, or on another node after a crash) sends the same
 * answer from the first part not yet delivered, instead of asking the model again, which
 * would bill the prompt again and store the turn twice in the conversation's context.
 */
public interface PendingReplies {

	/** Keeps nothing: every attempt asks again (for tests of the sending alone). */
	PendingReplies NONE = new PendingReplies() {

		@Override
		public Optional<Pending> find(ChannelMessage message) {
			return Optional.empty();
		}

		@Override
		public void save(ChannelMessage message, String text) {
		}

		@Override
		public void delivered(ChannelMessage message, int parts) {
		}

		@Override
		public void forget(ChannelMessage message) {
		}

	};

	/**
	 * The answer kept for a message.
	 * @param message the message
	 * @return the answer and how many of its parts were delivered, if one is kept
	 */
	Optional<Pending> find(ChannelMessage message);

	/**
	 * Keep a generated answer before sending it.
	 * @param message the message
	 * @param text the answer
	 */
	void save(ChannelMessage message, String text);

	/**
	 * Record that the first {@code parts} parts reached the platform.
	 * @param message the message
	 * @param parts how many parts were delivered
	 */
	void delivered(ChannelMessage message, int parts);

	/**
	 * Drop the answer once all of it was delivered.
	 * @param message the message
	 */
	void forget(ChannelMessage message);

	/**
	 * An answer kept for a message.
	 *
	 * @param text the answer
	 * @param deliveredParts how many of its parts reached the platform
	 */
	record Pending(String text, int deliveredParts) {
	}

}
