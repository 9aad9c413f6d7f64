package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.ArrayList;
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
 * {@code concurrency}), the entries it holds (read or taken over and not finished; new
 * ones are read only while fewer than {@link #heldLimit}), the ones parked behind their
 * conversation's previous message (they cost nothing until woken), the ones due to be
 * looked at again, and how often each had to wait. Shared by the reader, the order gate,
 * the settlement and the take-over; every method is thread-safe.
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

	/**
	 * Held entries parked behind their conversation's previous message, by conversation:
	 * no permit, no timer but a slow safety one, woken when that message is finished.
	 */
	private final Map<String, List<InboxEntry>> parked = new ConcurrentHashMap<>();

	/** Signalled when an entry is finished (room to read more) or the node stops. */
	private final Object room = new Object();

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
		signalRoom();
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

	/**
	 * How many entries this node holds at most before it stops reading new ones: twice
	 * its concurrency, so that entries parked behind a conversation's previous message
	 * leave room for others, while the rest of a backlog stays in the inbox for any node
	 * (and for the backlog limit at intake) rather than in this node's memory.
	 */
	int heldLimit() {
		return 2 * this.concurrency;
	}

	/** How many more entries may be read now (see {@link #heldLimit}). */
	int room() {
		return Math.max(0, heldLimit() - this.held.size());
	}

	/**
	 * Wait until an entry is finished or something is due, at most this long.
	 */
	void awaitRoom(Duration wait) throws InterruptedException {
		synchronized (this.room) {
			if (room() == 0 && this.due.isEmpty() && this.running) {
				this.room.wait(Math.max(1, wait.toMillis()));
			}
		}
	}

	private void signalRoom() {
		synchronized (this.room) {
			this.room.notifyAll();
		}
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
		this.parked.clear();
		signalRoom();
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
	 * Park an entry behind its conversation's previous message, before the inbox is told
	 * (so that news arriving meanwhile finds it): from now on a {@link #wake} may take
	 * it. The caller keeps its permit until {@link #letWait}, or takes it back with
	 * {@link #unpark}.
	 * @param entry the entry
	 */
	void park(InboxEntry entry) {
		this.parked.compute(entry.message().conversationId(), (conversation, entries) -> {
			List<InboxEntry> parkedHere = (entries != null) ? entries : new ArrayList<>(2);
			parkedHere.add(entry);
			return parkedHere;
		});
	}

	/**
	 * Leave a parked entry waiting and give its permit back: it is looked at again when
	 * {@link #wake woken}, or after the safety delay if no news came (the previous
	 * message is gone, or the news was lost with a connection).
	 * @param entry the entry
	 * @param safety the longest it stays parked without news
	 */
	void letWait(InboxEntry entry, Duration safety) {
		this.permits.release();
		this.scheduler.schedule(() -> {
			if (unpark(entry)) {
				retry(entry);
			}
		}, safety.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Take a parked entry back.
	 * @param entry the entry
	 * @return whether it was still parked (else a wake took it, and works on it)
	 */
	boolean unpark(InboxEntry entry) {
		boolean[] removed = new boolean[1];
		this.parked.computeIfPresent(entry.message().conversationId(), (conversation, entries) -> {
			removed[0] = entries.remove(entry);
			return entries.isEmpty() ? null : entries;
		});
		return removed[0];
	}

	/**
	 * Take the entries parked behind a conversation's previous message, which just
	 * finished.
	 * @param conversationId the conversation
	 * @return its parked entries (they are still held), none when there are none
	 */
	List<InboxEntry> wake(String conversationId) {
		List<InboxEntry> woken = this.parked.remove(conversationId);
		return (woken != null) ? woken : List.of();
	}

	/**
	 * Take every parked entry (the news of finished messages may have been missed).
	 * @return the parked entries (they are still held)
	 */
	List<InboxEntry> wakeAll() {
		List<InboxEntry> woken = new ArrayList<>();
		for (String conversationId : List.copyOf(this.parked.keySet())) {
			woken.addAll(wake(conversationId));
		}
		return woken;
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
			signalRoom();
		}
	}

	/** The entry is done with on this node: forget it and give its permit back. */
	void finish(InboxEntry entry) {
		this.held.remove(entry.id());
		this.delivered.remove(entry.id());
		this.waits.remove(entry.id());
		this.permits.release();
		signalRoom();
	}

}
