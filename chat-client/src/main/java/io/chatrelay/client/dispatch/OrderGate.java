package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxEntry;
import io.chatrelay.client.inbox.InboxPressure;
import io.chatrelay.client.inbox.InboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what to do with an entry, per conversation in order: an entry is answered only
 * when its conversation's previous message is finished (on any node), so a later message
 * sees the earlier one in its context; until then it is parked, at no cost, and woken
 * when that message is finished: on this node directly, on another through the inbox's
 * done channel ({@link DoneListener}). An entry whose number is already finished, or
 * whose reply was already delivered, is only finished (it was answered before a crash, or
 * Redis failed at the end). An entry older than {@code max-age} gets "busy"; one that
 * waited for a predecessor longer than twice that moves on (the predecessor is gone). The
 * attempt's result goes to the {@link Settlement}.
 */
final class OrderGate {

	private static final Logger log = LoggerFactory.getLogger(OrderGate.class);

	/**
	 * How soon the reader looks for new entries again while this node holds some, and how
	 * soon a retried entry is picked up at the latest.
	 */
	static final Duration ORDER_RECHECK = Duration.ofMillis(100);

	/**
	 * How long an entry stays parked without news of its predecessor before it looks
	 * again (the predecessor is gone, or the news was lost with a connection): a safety
	 * net, not the way entries move on.
	 */
	static final Duration PARKED_RECHECK = Duration.ofSeconds(5);

	private final Inbox inbox;

	private final MessageAnswerer answerer;

	private final Holdings holdings;

	private final Settlement settlement;

	private final InboxProperties properties;

	private final Executor work;

	private final InboxPressure pressure;

	OrderGate(Inbox inbox, MessageAnswerer answerer, Holdings holdings, Settlement settlement,
			InboxProperties properties, Executor work, InboxPressure pressure) {
		this.inbox = inbox;
		this.answerer = answerer;
		this.holdings = holdings;
		this.settlement = settlement;
		this.properties = properties;
		this.work = work;
		this.pressure = pressure;
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
	 * A conversation's message was finished (on this node or another): its parked entries
	 * look again, at once where permits are free, else before new entries.
	 * @param conversationId the conversation
	 */
	void wake(String conversationId) {
		for (InboxEntry entry : this.holdings.wake(conversationId)) {
			resume(entry);
		}
	}

	/** Every parked entry looks again (news of finished messages may have been lost). */
	void wakeAll() {
		for (InboxEntry entry : this.holdings.wakeAll()) {
			resume(entry);
		}
	}

	private void resume(InboxEntry entry) {
		if (this.holdings.running() && this.holdings.tryAcquire()) {
			start(entry, null);
		}
		else {
			this.holdings.retry(entry);
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
			if (entry.seq() > done + 1 && age <= this.properties.maxAge().toMillis() * 2) {
				// Parked here first, so that news of the predecessor arriving while the
				// inbox is told finds it.
				this.holdings.park(entry);
				OptionalLong now;
				try {
					now = this.inbox.park(entry);
				}
				catch (RuntimeException ex) {
					if (!this.holdings.unpark(entry)) {
						this.holdings.release(1);
						return;
					}
					throw ex;
				}
				if (now.isEmpty()) {
					this.holdings.letWait(entry, PARKED_RECHECK);
					return;
				}
				if (!this.holdings.unpark(entry)) {
					// woken meanwhile: the wake works on it, with a permit of its own
					this.holdings.release(1);
					return;
				}
				// finished meanwhile
				done = now.getAsLong();
				if (entry.seq() <= done) {
					this.inbox.complete(entry);
					this.holdings.finish(entry);
					return;
				}
			}
			if (entry.seq() > done + 1) {
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
			if (knownDone != null && this.pressure != null) {
				// read fresh: its wait is the queue's (parked, retried or taken-over
				// entries come without knownDone: they waited for something else)
				this.pressure.started(age);
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
