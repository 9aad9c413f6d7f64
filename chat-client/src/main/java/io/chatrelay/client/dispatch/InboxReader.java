package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxEntry;
import io.chatrelay.client.inbox.InboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader thread's loop: takes a permit, hands it to an entry due again (waits, woken
 * or rechecked parked entries, take-overs) or, while the node holds fewer entries than
 * its limit, reads a batch of new entries through the consumer group and looks up their
 * conversations' progress in one round trip, then passes each entry to the
 * {@link OrderGate}. It only reads: everything that blocks on an entry runs on the Redis
 * workers.
 */
final class InboxReader implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(InboxReader.class);

	private final Inbox inbox;

	private final Holdings holdings;

	private final OrderGate gate;

	private final InboxProperties properties;

	private final String consumer;

	InboxReader(Inbox inbox, Holdings holdings, OrderGate gate, InboxProperties properties, String consumer) {
		this.inbox = inbox;
		this.holdings = holdings;
		this.gate = gate;
		this.properties = properties;
		this.consumer = consumer;
	}

	@Override
	public void run() {
		while (this.holdings.running()) {
			try {
				// While entries are due soon, wait for a permit or new entries only
				// briefly.
				Duration wait = this.holdings.holdsNothing() ? this.properties.readBlock() : OrderGate.ORDER_RECHECK;
				if (!this.holdings.acquire(wait)) {
					continue;
				}
				// Entries due again (waits, order rechecks, take-overs) come before new
				// ones, with the permit just taken.
				InboxEntry due = this.holdings.nextDue();
				if (due != null) {
					this.gate.start(due, null);
					continue;
				}
				if (this.holdings.room() == 0) {
					// Holding all it may (most of it parked): the rest stays in the inbox
					// until something here is finished.
					this.holdings.release(1);
					this.holdings.awaitRoom(wait);
					continue;
				}
				readBatch(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Read new entries with the permit taken, and as many more as are free. */
	private void readBatch(Duration wait) throws InterruptedException {
		int count = 1;
		int most = Math.min(this.properties.batch(), this.holdings.room());
		while (count < most && this.holdings.tryAcquire()) {
			count++;
		}
		List<InboxEntry> entries;
		try {
			entries = this.inbox.read(this.consumer, count, wait);
		}
		catch (RuntimeException ex) {
			this.holdings.release(count);
			if (ex.getMessage() != null && ex.getMessage().startsWith("NOGROUP")) {
				log.warn("The inbox consumer group is gone (Redis lost its data?): creating it again");
				// What this node held is gone with it: forget it rather than answer old
				// messages under the new order numbers.
				this.holdings.forgetAll();
				this.inbox.ensureGroup();
				return;
			}
			if (this.holdings.running()) {
				log.warn("Reading the inbox failed, retrying in 1 s: {}", ex.toString());
				Thread.sleep(1000);
			}
			return;
		}
		this.holdings.release(count - entries.size());
		Map<String, Long> done = progress(entries);
		for (InboxEntry entry : entries) {
			this.holdings.hold(entry.id());
			this.gate.start(entry, done.get(entry.message().conversationId()));
		}
	}

	/** The batch's conversations' progress in one round trip; empty if Redis failed. */
	private Map<String, Long> progress(List<InboxEntry> entries) {
		if (entries.isEmpty()) {
			return Map.of();
		}
		try {
			return this.inbox.done(entries.stream().map((entry) -> entry.message().conversationId()).toList());
		}
		catch (RuntimeException ex) {
			// Each entry looks its own up (and waits if Redis is still down).
			return Map.of();
		}
	}

}
