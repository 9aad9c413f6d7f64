package io.chatrelay.client.dispatch;

import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxEntry;
import io.chatrelay.client.inbox.InboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on an attempt's result: finishes the entry (acknowledged and deleted only once its
 * reply reached the platform), lets it wait and retry (no provider, the store or the
 * platform unavailable: not counted, bounded by {@code max-age}), or counts a failure;
 * after {@code max-attempts} failures the user gets an apology, the entry goes to the
 * dead letters and an ERROR is logged.
 */
final class Settlement {

	private static final Logger log = LoggerFactory.getLogger(Settlement.class);

	private final Inbox inbox;

	private final MessageAnswerer answerer;

	private final Holdings holdings;

	private final InboxProperties properties;

	Settlement(Inbox inbox, MessageAnswerer answerer, Holdings holdings, InboxProperties properties) {
		this.inbox = inbox;
		this.answerer = answerer;
		this.holdings = holdings;
		this.properties = properties;
	}

	/**
	 * Act on an attempt's result; the entry's permit is given back.
	 * @param entry the entry
	 * @param result what became of its reply ({@code null}: failed unexpectedly)
	 */
	void settle(InboxEntry entry, Result result) {
		try {
			if (result == Result.DELIVERED) {
				this.holdings.delivered(entry.id());
				this.inbox.complete(entry);
				this.holdings.finish(entry);
			}
			else if (result == Result.RETRY_LATER) {
				waitAgain(entry);
			}
			else {
				failed(entry, "the platform refused the reply");
			}
		}
		catch (RuntimeException ex) {
			log.warn("Finishing {} failed, retrying later (a delivered reply is not sent again): {}", entry,
					ex.toString());
			waitAgain(entry);
		}
	}

	/**
	 * Count a failure of an entry: retried with backoff, dead-lettered after
	 * {@code max-attempts}.
	 * @param entry the entry
	 * @param reason why, for operators
	 */
	void failed(InboxEntry entry, String reason) {
		long attempts;
		try {
			attempts = this.inbox.attempt(entry);
		}
		catch (RuntimeException ex) {
			waitAgain(entry);
			return;
		}
		if (attempts >= this.properties.maxAttempts()) {
			deadLetter(entry, reason + " (" + attempts + " attempts)");
		}
		else {
			this.holdings.later(entry, this.holdings.backoff(attempts));
		}
	}

	private void deadLetter(InboxEntry entry, String reason) {
		try {
			this.inbox.deadLetters().deadLetter(entry, reason);
		}
		catch (RuntimeException ex) {
			waitAgain(entry);
			return;
		}
		log.error("{} moved to the dead letters: {}", entry, reason);
		this.answerer.apologise(entry.message(), Apology.FAILED, "dead_letter");
		this.holdings.forgetWaits(entry.id());
		this.holdings.finish(entry);
	}

	/** A wait that is not a failure: retried after a growing backoff. */
	private void waitAgain(InboxEntry entry) {
		this.holdings.later(entry, this.holdings.backoff(this.holdings.waited(entry.id())));
	}

}
