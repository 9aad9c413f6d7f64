package io.chatrelay.client.inbox;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the inbox is past the capacity of the nodes that answer it: its oldest message
 * no node has read yet waited longer than {@code max-queue-delay} while the nodes are
 * reading (the group's last read entry moved within {@link #PROGRESS_WINDOW}). Then
 * callbacks are refused with 503, storing nothing, and the platform delivers them again
 * later: the backlog stays what the nodes can answer within about that delay, and latency
 * returns to normal seconds after a burst, instead of a backlog that takes as long to
 * drain as it took to build. A stalled inbox (no provider, every node waiting) is not
 * overloaded: it keeps taking messages, up to {@code max-backlog}, to answer them when
 * the providers are back.
 *
 * <p>
 * Sampled every {@link #SAMPLE_EVERY} on a thread of its own (two Redis reads), so the
 * check at intake costs nothing; one log line when the state changes.
 */
public class InboxPressure implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(InboxPressure.class);

	/** How often the head of the queue is looked at. */
	static final Duration SAMPLE_EVERY = Duration.ofMillis(250);

	/** Reading that moved within this long counts as the nodes working. */
	static final Duration PROGRESS_WINDOW = Duration.ofSeconds(2);

	private final Inbox inbox;

	private final Duration maxQueueDelay;

	private final LongSupplier nanoClock;

	private final ScheduledExecutorService sampler;

	private volatile boolean overloaded;

	private volatile long queueDelayMillis;

	private String lastDelivered;

	private long movedAtNanos;

	/**
	 * Watch an inbox, sampling on a thread of its own until closed.
	 * @param inbox the inbox
	 * @param maxQueueDelay the delay past which callbacks are refused ({@code 0}: never)
	 */
	public InboxPressure(Inbox inbox, Duration maxQueueDelay) {
		this(inbox, maxQueueDelay, System::nanoTime, true);
	}

	InboxPressure(Inbox inbox, Duration maxQueueDelay, LongSupplier nanoClock, boolean sampling) {
		this.inbox = Objects.requireNonNull(inbox);
		this.maxQueueDelay = maxQueueDelay;
		this.nanoClock = nanoClock;
		this.movedAtNanos = nanoClock.getAsLong() - PROGRESS_WINDOW.toNanos() - 1;
		if (sampling && !maxQueueDelay.isZero()) {
			this.sampler = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "inbox-pressure");
				thread.setDaemon(true);
				return thread;
			});
			this.sampler.scheduleWithFixedDelay(this::sample, SAMPLE_EVERY.toMillis(), SAMPLE_EVERY.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		else {
			this.sampler = null;
		}
	}

	/**
	 * Whether callbacks should be refused now (as of the last sample).
	 * @return {@code true} while the nodes read but fall behind by more than
	 * {@code max-queue-delay}
	 */
	public boolean overloaded() {
		return this.overloaded;
	}

	/**
	 * How long the oldest unread message had waited at the last sample.
	 * @return milliseconds
	 */
	public long queueDelayMillis() {
		return this.queueDelayMillis;
	}

	/**
	 * The retry hint for refused callbacks.
	 * @return {@code max-queue-delay}, at least a second
	 */
	public Duration retryAfter() {
		return (this.maxQueueDelay.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : this.maxQueueDelay;
	}

	/** Look at the head of the queue once (the sampler's step; tests call it). */
	void sample() {
		Inbox.QueueHead head;
		try {
			head = this.inbox.queueHead();
		}
		catch (RuntimeException ex) {
			// Redis down: intake fails on its own (503); keep the last state meanwhile.
			log.debug("Sampling the inbox's queue failed: {}", ex.toString());
			return;
		}
		long now = this.nanoClock.getAsLong();
		if (head.lastDeliveredId() != null && !head.lastDeliveredId().equals(this.lastDelivered)) {
			// The first look only sets where reading stands.
			if (this.lastDelivered != null) {
				this.movedAtNanos = now;
			}
			this.lastDelivered = head.lastDeliveredId();
		}
		boolean reading = now - this.movedAtNanos <= PROGRESS_WINDOW.toNanos();
		this.queueDelayMillis = head.oldestUnreadMillis();
		boolean over = decide(head.oldestUnreadMillis(), this.maxQueueDelay, reading);
		if (over != this.overloaded) {
			if (over) {
				log.warn("The inbox is past the nodes' capacity: its oldest unread message waited {} ms (more than "
						+ "max-queue-delay {}) while the nodes read; refusing callbacks with 503 so that the "
						+ "platforms deliver them again later", head.oldestUnreadMillis(), this.maxQueueDelay);
			}
			else {
				log.info("The inbox is back within max-queue-delay {} (oldest unread waited {} ms); taking "
						+ "callbacks again", this.maxQueueDelay, head.oldestUnreadMillis());
			}
			this.overloaded = over;
		}
	}

	/**
	 * The rule.
	 * @param oldestUnreadMillis how long the oldest unread message waited
	 * @param maxQueueDelay the limit ({@code 0}: none)
	 * @param reading whether the nodes read the inbox lately
	 * @return whether callbacks are refused
	 */
	static boolean decide(long oldestUnreadMillis, Duration maxQueueDelay, boolean reading) {
		return reading && !maxQueueDelay.isZero() && oldestUnreadMillis > maxQueueDelay.toMillis();
	}

	@Override
	public void close() {
		if (this.sampler != null) {
			this.sampler.shutdownNow();
		}
	}

}
