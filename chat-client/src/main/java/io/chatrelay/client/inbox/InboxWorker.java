package io.chatrelay.client.inbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.chatrelay.client.channel.Apology;
import io.chatrelay.client.channel.MessageAnswerer;
import io.chatrelay.client.channel.MessageAnswerer.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * This node's share of the inbox: reads new entries through the consumer group, at most
 * {@code concurrency} at once, and answers each with the {@link MessageAnswerer}. One
 * reader thread reads a batch and looks up its conversations' progress in one round trip;
 * the blocking steps of each entry (its Redis reads, starting the answer, finishing it)
 * run on the node's Redis workers, so entries start in parallel and no Dubbo or HTTP
 * thread waits on Redis.
 *
 * <ul>
 * <li><b>Order per conversation</b>: an entry is answered only when its conversation's
 * previous message is finished (on any node); otherwise it waits, so a later message sees
 * the earlier one in its context. An entry whose number is already finished is only
 * acknowledged (it was answered before a crash).</li>
 * <li><b>Acknowledged after delivery</b>: an entry is finished (acknowledged and deleted)
 * only when its reply reached the platform.</li>
 * <li><b>Failover</b>: entries held by a node that died or froze are taken over after
 * {@code claim-idle}; live nodes touch theirs every third of it.</li>
 * <li><b>Peak shaving</b>: a message that cannot be answered yet (no provider, the store
 * or the platform unavailable) waits with a growing backoff, up to {@code max-age}, then
 * gets "busy". These waits are not failures.</li>
 * <li><b>Dead letters</b>: after {@code max-attempts} failures (the platform refused the
 * reply for good, an unexpected error) the user gets an apology, the entry goes to the
 * dead-letter stream and an ERROR is logged.</li>
 * </ul>
 * On shutdown the node stops reading, finishes what it is answering (up to 20 s), hands
 * everything else back marked idle, so that the other nodes take it over on their next
 * claim round, and leaves the consumer group. This happens on the context's close event,
 * before Dubbo (which closes its references on that same event, last) can no longer reach
 * a provider. Consumers of nodes that died are deleted once they hold nothing and have
 * been idle for ten claim timeouts.
 */
public class InboxWorker implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, Ordered {

	private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);

	private static final Duration ORDER_RECHECK = Duration.ofMillis(100);

	private final Inbox inbox;

	private final MessageAnswerer answerer;

	private final Executor work;

	private final InboxProperties properties;

	private final String consumer;

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

	private volatile Thread reader;

	private boolean stopped;

	private int claimRounds;

	/**
	 * Create a worker.
	 * @param inbox the inbox
	 * @param answerer answers messages
	 * @param properties settings
	 * @param consumer this node's consumer name, unique per node
	 * @param work runs the blocking steps of each entry
	 */
	public InboxWorker(Inbox inbox, MessageAnswerer answerer, InboxProperties properties, String consumer,
			Executor work) {
		this.inbox = inbox;
		this.answerer = answerer;
		this.work = work;
		this.properties = properties;
		this.consumer = consumer;
		this.permits = new Semaphore(properties.concurrency());
		this.scheduler = Executors.newScheduledThreadPool(2, (task) -> {
			Thread thread = new Thread(task, "inbox-scheduler");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void start() {
		this.inbox.ensureGroup();
		this.running = true;
		Thread thread = new Thread(this::readLoop, "inbox-reader");
		thread.setDaemon(true);
		this.reader = thread;
		thread.start();
		long touchEvery = Math.max(200, this.properties.claimIdle().toMillis() / 3);
		this.scheduler.scheduleWithFixedDelay(this::touchHeld, touchEvery, touchEvery, TimeUnit.MILLISECONDS);
		long claimEvery = Math.max(500, this.properties.claimIdle().toMillis() / 2);
		this.scheduler.scheduleWithFixedDelay(this::claimIdle, claimEvery, claimEvery, TimeUnit.MILLISECONDS);
		log.info("Inbox worker {} started: up to {} messages at once, idle entries taken over after {}", this.consumer,
				this.properties.concurrency(), this.properties.claimIdle());
	}

	/**
	 * Stop before Dubbo closes its references (it does so on this event, as the last
	 * listener), so that the answers in flight can still reach a provider.
	 * @param event the context's close
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		stop();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public synchronized void stop() {
		if (this.stopped || this.reader == null) {
			return;
		}
		this.stopped = true;
		this.running = false;
		this.reader.interrupt();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		try {
			// Answers in flight still hold their permits: wait until they are back.
			while (this.permits.availablePermits() < this.properties.concurrency() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.scheduler.shutdownNow();
		try {
			// A touch still running could claim the entries back after the hand-back.
			this.scheduler.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			long handed = this.inbox.leave(this.consumer, this.properties.claimIdle());
			log.info("Inbox worker {} stopped; {} entries handed back to the other nodes", this.consumer, handed);
		}
		catch (RuntimeException ex) {
			log.warn("Inbox worker {} stopped; its {} entries are taken over after {} ({})", this.consumer,
					this.held.size(), this.properties.claimIdle(), ex.toString());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stop (if the close event has not) after the web server stopped taking callbacks,
	 * before the Redis pool closes.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

	private void readLoop() {
		while (this.running) {
			try {
				// While entries are due soon, wait for a permit or new entries only
				// briefly.
				Duration wait = this.held.isEmpty() ? this.properties.readBlock() : ORDER_RECHECK;
				if (!this.permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
					continue;
				}
				// Entries due again (waits, order rechecks, take-overs) come before new
				// ones,
				// with the permit just taken.
				InboxEntry due = this.due.poll();
				if (due != null) {
					start(due, null);
					continue;
				}
				int count = 1;
				while (count < this.properties.batch() && this.permits.tryAcquire()) {
					count++;
				}
				List<InboxEntry> entries;
				try {
					entries = this.inbox.read(this.consumer, count, wait);
				}
				catch (RuntimeException ex) {
					this.permits.release(count);
					if (ex.getMessage() != null && ex.getMessage().startsWith("NOGROUP")) {
						log.warn("The inbox consumer group is gone (Redis lost its data?): creating it again");
						// What this node held is gone with it: forget it rather than
						// answer
						// old messages under the new order numbers.
						this.held.clear();
						this.due.clear();
						this.inbox.ensureGroup();
						continue;
					}
					if (this.running) {
						log.warn("Reading the inbox failed, retrying in 1 s: {}", ex.toString());
						Thread.sleep(1000);
					}
					continue;
				}
				this.permits.release(count - entries.size());
				Map<String, Long> done = progress(entries);
				for (InboxEntry entry : entries) {
					this.held.add(entry.id());
					start(entry, done.get(entry.message().conversationId()));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
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

	/**
	 * Work on an entry on the Redis workers; the caller holds one permit for it.
	 * @param done the conversation's progress if already known
	 */
	private void start(InboxEntry entry, Long done) {
		try {
			this.work.execute(() -> handle(entry, done));
		}
		catch (RejectedExecutionException ex) {
			// Shutting down: the entry stays held and is handed back.
			this.permits.release();
		}
	}

	/**
	 * Work on an entry; the caller holds one permit for it, which this gives back.
	 * @param knownDone the conversation's progress if just read, else {@code null}
	 */
	private void handle(InboxEntry entry, Long knownDone) {
		try {
			if (this.delivered.contains(entry.id())) {
				this.inbox.complete(entry);
				finish(entry);
				return;
			}
			long done = (knownDone != null) ? knownDone : this.inbox.done(entry.message().conversationId());
			if (entry.seq() <= done) {
				this.inbox.complete(entry);
				finish(entry);
				return;
			}
			long age = System.currentTimeMillis() - entry.message().receivedAtMillis();
			if (entry.seq() > done + 1) {
				if (age <= this.properties.maxAge().toMillis() * 2) {
					later(entry, ORDER_RECHECK);
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
					.whenCompleteAsync((result, failure) -> settle(entry, result), this.work);
				return;
			}
			// Settled on the workers: finishing is a Redis script, and the answer may
			// complete on a Dubbo or HTTP client thread.
			this.answerer.answer(entry.message())
				.whenCompleteAsync((result, failure) -> settle(entry, result), this.work);
		}
		catch (RuntimeException ex) {
			log.warn("Working on {} failed, retrying later: {}", entry, ex.toString());
			failed(entry, "failed: " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * Act on an attempt's result: finish it, wait and retry it (no provider, the store or
	 * the platform unavailable: not counted, bounded by {@code max-age}), or count a
	 * failure (dead-lettered after {@code max-attempts}).
	 */
	private void settle(InboxEntry entry, Result result) {
		try {
			if (result == Result.DELIVERED) {
				this.delivered.add(entry.id());
				this.inbox.complete(entry);
				finish(entry);
			}
			else if (result == Result.RETRY_LATER) {
				later(entry, backoff(this.waits.merge(entry.id(), 1, Integer::sum)));
			}
			else {
				failed(entry, "the platform refused the reply");
			}
		}
		catch (RuntimeException ex) {
			log.warn("Finishing {} failed, retrying later (a delivered reply is not sent again): {}", entry,
					ex.toString());
			later(entry, backoff(this.waits.merge(entry.id(), 1, Integer::sum)));
		}
	}

	private void failed(InboxEntry entry, String reason) {
		long attempts;
		try {
			attempts = this.inbox.attempt(entry);
		}
		catch (RuntimeException ex) {
			later(entry, backoff(this.waits.merge(entry.id(), 1, Integer::sum)));
			return;
		}
		if (attempts >= this.properties.maxAttempts()) {
			deadLetter(entry, reason + " (" + attempts + " attempts)");
		}
		else {
			later(entry, backoff(attempts));
		}
	}

	private void deadLetter(InboxEntry entry, String reason) {
		try {
			this.inbox.deadLetter(entry, reason);
		}
		catch (RuntimeException ex) {
			later(entry, backoff(this.waits.merge(entry.id(), 1, Integer::sum)));
			return;
		}
		log.error("{} moved to the dead letters: {}", entry, reason);
		this.answerer.apologise(entry.message(), Apology.FAILED, "dead_letter");
		this.waits.remove(entry.id());
		finish(entry);
	}

	private void later(InboxEntry entry, Duration delay) {
		this.permits.release();
		this.scheduler.schedule(() -> retry(entry), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Look at a held entry again once a permit is free (it stays held, and touched, by
	 * this node meanwhile; on shutdown it is left to the other nodes).
	 */
	private void retry(InboxEntry entry) {
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

	private void finish(InboxEntry entry) {
		this.held.remove(entry.id());
		this.delivered.remove(entry.id());
		this.waits.remove(entry.id());
		this.permits.release();
	}

	private Duration backoff(long attempts) {
		long factor = 1L << Math.min(4, Math.max(0, attempts - 1));
		return this.properties.retryBackoff().multipliedBy(factor);
	}

	private void touchHeld() {
		try {
			this.inbox.touch(this.consumer, List.copyOf(this.held));
		}
		catch (RuntimeException ex) {
			log.warn("Touching held inbox entries failed: {}", ex.toString());
		}
	}

	private void claimIdle() {
		if (!this.running) {
			return;
		}
		if (++this.claimRounds % 20 == 0) {
			reapGoneConsumers();
		}
		try {
			for (InboxEntry entry : this.inbox.claimIdle(this.consumer, this.properties.claimIdle(),
					this.properties.batch())) {
				if (this.held.add(entry.id())) {
					log.info("Took over {} from a node that stopped working on it", entry);
					retry(entry);
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
