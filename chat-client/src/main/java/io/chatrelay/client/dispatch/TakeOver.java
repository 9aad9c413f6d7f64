package io.chatrelay.client.dispatch;

import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxEntry;
import io.chatrelay.client.inbox.InboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover between nodes: this node touches the entries it holds every third of
 * {@code claim-idle}, takes over the entries of a node that died or froze once they were
 * idle for {@code claim-idle}, and every twentieth round deletes the consumers of gone
 * nodes that hold nothing and were idle for ten claim timeouts.
 */
final class TakeOver {

	private static final Logger log = LoggerFactory.getLogger(TakeOver.class);

	private final Inbox inbox;

	private final Holdings holdings;

	private final InboxProperties properties;

	private final String consumer;

	private int claimRounds;

	TakeOver(Inbox inbox, Holdings holdings, InboxProperties properties, String consumer) {
		this.inbox = inbox;
		this.holdings = holdings;
		this.properties = properties;
		this.consumer = consumer;
	}

	/** Mark what this node holds as worked on, so no other node takes it over. */
	void touchHeld() {
		try {
			this.inbox.touch(this.consumer, this.holdings.heldIds());
		}
		catch (RuntimeException ex) {
			log.warn("Touching held inbox entries failed: {}", ex.toString());
		}
	}

	/** Take over entries idle for {@code claim-idle}; they are due at once. */
	void claimIdle() {
		if (!this.holdings.running()) {
			return;
		}
		if (++this.claimRounds % 20 == 0) {
			reapGoneConsumers();
		}
		try {
			for (InboxEntry entry : this.inbox.claimIdle(this.consumer, this.properties.claimIdle(),
					this.properties.batch())) {
				if (this.holdings.hold(entry.id())) {
					log.info("Took over {} from a node that stopped working on it", entry);
					this.holdings.retry(entry);
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Taking over idle inbox entries failed: {}", ex.toString());
		}
	}

	private void reapGoneConsumers() {
		try {
			long reaped = this.inbox.reap(this.properties.claimIdle().multipliedBy(10));
			if (reaped > 0) {
				log.info("Deleted {} inbox consumers of nodes that are gone (holding nothing)", reaped);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Deleting the consumers of gone nodes failed: {}", ex.toString());
		}
	}

}
