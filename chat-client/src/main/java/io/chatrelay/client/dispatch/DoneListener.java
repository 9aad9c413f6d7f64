package io.chatrelay.client.dispatch;

import java.time.Duration;

import io.chatrelay.client.inbox.Inbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/**
 * Listens on the inbox's done channel (on a Redis connection of its own) for the
 * conversations whose message just finished while a node had parked a later one, and
 * wakes this node's parked entries of each. On every (re)subscription all parked entries
 * look again, as news may have been missed while the connection was down; while it is
 * down, parked entries look again after {@link OrderGate#PARKED_RECHECK}.
 */
final class DoneListener implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(DoneListener.class);

	/** The wait before subscribing again after the connection failed. */
	private static final Duration RESUBSCRIBE = Duration.ofSeconds(1);

	private final Inbox inbox;

	private final Holdings holdings;

	private final OrderGate gate;

	private volatile JedisPubSub subscription;

	private volatile boolean failing;

	DoneListener(Inbox inbox, Holdings holdings, OrderGate gate) {
		this.inbox = inbox;
		this.holdings = holdings;
		this.gate = gate;
	}

	@Override
	public void run() {
		while (this.holdings.running()) {
			JedisPubSub listening = new Listening();
			this.subscription = listening;
			try {
				this.inbox.subscribeDone(listening);
			}
			catch (RuntimeException ex) {
				if (!this.holdings.running()) {
					return;
				}
				if (!this.failing) {
					log.warn(
							"Listening for finished messages failed, subscribing again every {} (parked messages "
									+ "look again every {} meanwhile): {}",
							RESUBSCRIBE, OrderGate.PARKED_RECHECK, ex.toString());
				}
				this.failing = true;
			}
			try {
				Thread.sleep(RESUBSCRIBE.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** Stop listening (the node stops). */
	void stop() {
		JedisPubSub listening = this.subscription;
		if (listening != null && listening.isSubscribed()) {
			try {
				listening.unsubscribe();
			}
			catch (RuntimeException ex) {
				// the connection is gone already
			}
		}
	}

	private final class Listening extends JedisPubSub {

		@Override
		public void onSubscribe(String channel, int subscribedChannels) {
			if (!DoneListener.this.holdings.running()) {
				// stopped while subscribing: stop() found nothing to unsubscribe
				unsubscribe();
				return;
			}
			if (DoneListener.this.failing) {
				DoneListener.this.failing = false;
				log.info("Listening for finished messages again on {}", channel);
			}
			DoneListener.this.gate.wakeAll();
		}

		@Override
		public void onMessage(String channel, String orderKey) {
			String conversationId = DoneListener.this.inbox.conversationOf(orderKey);
			if (conversationId != null) {
				DoneListener.this.gate.wake(conversationId);
			}
		}

	}

}
