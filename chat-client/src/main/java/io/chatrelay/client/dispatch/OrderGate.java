package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxEntry;
import io.chatrelay.client.inbox.InboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what to do with an entry, per conversation in order: an entry is answered only
 * when its conversation's previous message is finished (on any node), so a later message
 * sees the earlier one in its context; until then it waits. An entry whose number is
 * already finished, or whose reply was already delivered, is only finished (it was
 * answered before a crash, or Redis failed at the end). An entry older than
 * {@code max-age} gets "busy"; one that waited for a predecessor longer than twice that
 * moves on (the predecessor is gone). The attempt's result goes to the
 * {@link Settlement}.
 */
final class OrderGate {

	private static final Logger log = LoggerFactory.getLogger(OrderGate.class);

	/** How soon an entry waiting for its predecessor looks again. */
	static final Duration ORDER_RECHECK = Duration.ofMillis(100);

	private final Inbox inbox;

	private final MessageAnswerer answerer;

	private final Holdings holdings;

	private final Settlement settlement;

	private final InboxProperties properties;

	private final Executor work;

	OrderGate(Inbox inbox, MessageAnswerer answerer, Holdings holdings, Settlement settlement,
			InboxProperties properties, Executor work) {
		this.inbox = inbox;
		this.answerer = answerer;
		this.holdings = holdings;
		this.settlement = settlement;
		this.properties = properties;
		this.work = work;
	}

	/**
	 * Work on an entry on the Redis workers; the caller holds one permit for it.
	 * @param entry the entry
	 * @param done the conversation's progress if already known
	 */
	void start(InboxEntry entry, Long done) {
		try {
			this.work.execute(() -> handle(entry, done));
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: the entry stays held and is handed back.
			this.holdings.release(1);
		}
	}

	/**
	 * Work on an entry; the caller holds one permit for it, which this gives back.
	 * @param knownDone the conversation's progress if just read, else {@code null}
	 */
	private void handle(InboxEntry entry, Long knownDone) {
		try {
			if (this.holdings.wasDelivered(entry.id())) {
				this.inbox.complete(entry);
				this.holdings.finish(entry);
				return;
			}
			long done = (knownDone != null) ? knownDone : this.inbox.done(entry.message().conversationId());
			if (entry.seq() <= done) {
				this.inbox.complete(entry);
				this.holdings.finish(entry);
				return;
			}
			long age = System.currentTimeMillis() - entry.message().receivedAtMillis();
			if (entry.seq() > done + 1) {
				if (age <= this.properties.maxAge().toMillis() * 2) {
					this.holdings.later(entry, ORDER_RECHECK);
					return;
				}
				// The earlier message would have been answered or apologised for by now:
				// it is gone (deleted by hand, unreadable). Do not block the
				// conversation.
				log.warn("{} waited for message #{} of its conversation longer than twice {}; that one is gone, "
						+ "moving on", entry, done + 1, this.properties.maxAge());
			}
			if (age > this.properties.maxAge().toMillis()) {
				log.warn("{} waited longer than {}, answering busy", entry, this.properties.maxAge());
				this.answerer.apologise(entry.message(), Apology.BUSY, "busy")
					.whenCompleteAsync((result, failure) -> this.settlement.settle(entry, result), this.work);
				return;
			}
			// Settled on the workers: finishing is a Redis script, and the answer may
			// complete on a Dubbo or HTTP client thread.
			this.answerer.answer(entry.message())
				.whenCompleteAsync((result, failure) -> this.settlement.settle(entry, result), this.work);
		}
		catch (RuntimeException ex) {
			log.warn("Working on {} failed, retrying later: {}", entry, ex.toString());
			this.settlement.failed(entry, "failed: " + ex.getClass().getSimpleName());
		}
	}

}
