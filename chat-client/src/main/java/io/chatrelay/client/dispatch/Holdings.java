package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.chatrelay.client.inbox.InboxEntry;

/**
 * What this node holds of the inbox: a permit per entry it is working on (at most
 * {@code concurrency}), the entries it holds (read or taken over and not finished), the
 * ones due to be looked at again, and how often each had to wait. Shared by the reader,
 * the order gate, the settlement and the take-over; every method is thread-safe.
 */
final class Holdings {

	private final int concurrency;

	private final Duration retryBackoff;

	private final Semaphore permits;

	private final Set<String> held = ConcurrentHashMap.newKeySet();

	/**
	 * Entries whose reply reached the platform but which could not be finished yet (Redis
	 * unavailable at that moment): they are only finished later, never answered again.
	 */
	private final Set<String> delivered = ConcurrentHashMap.newKeySet();

	/** Held entries to look at again, taken by the reader before new entries. */
	private final Queue<InboxEntry> due = new ConcurrentLinkedQueue<>();

	/** How often each held entry had to wait (for the backoff; not persisted). */
	private final Map<String, Integer> waits = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler;

	private volatile boolean running;

	Holdings(int concurrency, Duration retryBackoff) {
		this.concurrency = concurrency;
		this.retryBackoff = retryBackoff;
		this.permits = new Semaphore(concurrency);
		this.scheduler = Executors.newScheduledThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "inbox-scheduler");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** The scheduler of retries, touches and take-overs. */
	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	boolean running() {
		return this.running;
	}

	void running(boolean running) {
		this.running = running;
	}

	/**
	 * Take a permit, waiting at most this long.
	 * @return whether one was taken
	 */
	boolean acquire(Duration wait) throws InterruptedException {
		return this.permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Take one more permit if one is free now. */
	boolean tryAcquire() {
		return this.permits.tryAcquire();
	}

	void release(int count) {
		this.permits.release(count);
	}

	/** Whether every permit is back (nothing in flight). */
	boolean idle() {
		return this.permits.availablePermits() >= this.concurrency;
	}

	/**
	 * @return whether it was not held before
	 */
	boolean hold(String id) {
		return this.held.add(id);
	}

	boolean holds(String id) {
		return this.held.contains(id);
	}

	boolean holdsNothing() {
		return this.held.isEmpty();
	}

	int heldCount() {
		return this.held.size();
	}

	List<String> heldIds() {
		return List.copyOf(this.held);
	}

	/** Forget everything held (the consumer group is gone, and with it what it held). */
	void forgetAll() {
		this.held.clear();
		this.due.clear();
	}

	/** The next held entry due again, or {@code null}. */
	InboxEntry nextDue() {
		return this.due.poll();
	}

	void delivered(String id) {
		this.delivered.add(id);
	}

	boolean wasDelivered(String id) {
		return this.delivered.contains(id);
	}

	/** Count one more wait of an entry. @return how many it had */
	int waited(String id) {
		return this.waits.merge(id, 1, Integer::sum);
	}

	void forgetWaits(String id) {
		this.waits.remove(id);
	}

	/** The wait before the next look at an entry that waited or failed this often. */
	Duration backoff(long attempts) {
		long factor = 1L << Math.min(4, Math.max(0, attempts - 1));
		return this.retryBackoff.multipliedBy(factor);
	}

	/**
	 * Give the entry's permit back and look at it again after the delay.
	 */
	void later(InboxEntry entry, Duration delay) {
		this.permits.release();
		this.scheduler.schedule(() -> retry(entry), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Look at a held entry again once a permit is free (it stays held, and touched, by
	 * this node meanwhile; on shutdown it is left to the other nodes).
	 */
	void retry(InboxEntry entry) {
		if (!this.held.contains(entry.id())) {
			this.waits.remove(entry.id());
			this.delivered.remove(entry.id());
		}
		else if (!this.running) {
			this.held.remove(entry.id());
		}
		else {
			// The reader hands it the next free permit, before reading new entries: a
			// retry must not depend on winning a permit against the reader.
			this.due.add(entry);
		}
	}

	/** The entry is done with on this node: forget it and give its permit back. */
	void finish(InboxEntry entry) {
		this.held.remove(entry.id());
		this.delivered.remove(entry.id());
		this.waits.remove(entry.id());
		this.permits.release();
	}

}
