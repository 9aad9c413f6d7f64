package io.chatrelay.client.dispatch;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxPressure;
import io.chatrelay.client.inbox.InboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * This node's share of the inbox: reads new entries through the consumer group, at most
 * {@code concurrency} at once and while it holds fewer than twice that, and answers each
 * with the {@link MessageAnswerer}. One reader thread ({@link InboxReader}) reads a batch
 * and looks up its conversations' progress in one round trip; the blocking steps of each
 * entry (its Redis reads, starting the answer, finishing it) run on the node's Redis
 * workers, so entries start in parallel and no Dubbo or HTTP thread waits on Redis. This
 * class is the lifecycle; the rules below live in {@link OrderGate}, {@link Settlement}
 * and {@link TakeOver}, sharing the node's {@link Holdings}.
 *
 * <ul>
 * <li><b>Order per conversation</b>: an entry is answered only when its conversation's
 * previous message is finished (on any node); otherwise it is parked, so a later message
 * sees the earlier one in its context. A parked entry costs nothing until it is woken by
 * the news that its predecessor finished ({@link DoneListener}). An entry whose number is
 * already finished is only acknowledged (it was answered before a crash).</li>
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

	private final Inbox inbox;

	private final InboxProperties properties;

	private final String consumer;

	private final Holdings holdings;

	private final InboxReader reading;

	private final TakeOver takeOver;

	private final DoneListener doneListener;

	private volatile Thread reader;

	private volatile Thread listener;

	private boolean stopped;

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
		this(inbox, answerer, properties, consumer, work, null);
	}

	/**
	 * Create a worker that tells the node's pressure how long messages queued.
	 * @param inbox the inbox
	 * @param answerer answers messages
	 * @param properties settings
	 * @param consumer this node's consumer name, unique per node
	 * @param work runs the blocking steps of each entry
	 * @param pressure told each fresh message's queueing time ({@code null}: none)
	 */
	public InboxWorker(Inbox inbox, MessageAnswerer answerer, InboxProperties properties, String consumer,
			Executor work, InboxPressure pressure) {
		this.inbox = inbox;
		this.properties = properties;
		this.consumer = consumer;
		this.holdings = new Holdings(properties.concurrency(), properties.retryBackoff());
		Settlement settlement = new Settlement(inbox, answerer, this.holdings, properties);
		OrderGate gate = new OrderGate(inbox, answerer, this.holdings, settlement, properties, work, pressure);
		this.reading = new InboxReader(inbox, this.holdings, gate, properties, consumer);
		this.doneListener = new DoneListener(inbox, this.holdings, gate);
		this.takeOver = new TakeOver(inbox, this.holdings, properties, consumer);
	}

	@Override
	public void start() {
		this.inbox.ensureGroup();
		this.holdings.running(true);
		Thread thread = new Thread(this.reading, "inbox-reader");
		thread.setDaemon(true);
		this.reader = thread;
		thread.start();
		Thread listening = new Thread(this.doneListener, "inbox-done-listener");
		listening.setDaemon(true);
		this.listener = listening;
		listening.start();
		ScheduledExecutorService scheduler = this.holdings.scheduler();
		long touchEvery = Math.max(200, this.properties.claimIdle().toMillis() / 3);
		scheduler.scheduleWithFixedDelay(this.takeOver::touchHeld, touchEvery, touchEvery, TimeUnit.MILLISECONDS);
		long claimEvery = Math.max(500, this.properties.claimIdle().toMillis() / 2);
		scheduler.scheduleWithFixedDelay(this.takeOver::claimIdle, claimEvery, claimEvery, TimeUnit.MILLISECONDS);
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
		this.holdings.running(false);
		this.reader.interrupt();
		this.doneListener.stop();
		this.listener.interrupt();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		try {
			// Answers in flight still hold their permits: wait until they are back.
			while (!this.holdings.idle() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		ScheduledExecutorService scheduler = this.holdings.scheduler();
		scheduler.shutdownNow();
		try {
			// A touch still running could claim the entries back after the hand-back.
			scheduler.awaitTermination(2, TimeUnit.SECONDS);
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
					this.holdings.heldCount(), this.properties.claimIdle(), ex.toString());
		}
	}

	@Override
	public boolean isRunning() {
		return this.holdings.running();
	}

	/**
	 * Stop (if the close event has not) after the web server stopped taking callbacks,
	 * before the Redis pool closes.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

}
