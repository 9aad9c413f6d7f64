package io.chatrelay.client.inbox;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node is past its capacity, by how long messages queue before it starts
 * answering them (their sojourn: from acceptance, on any node, to the first attempt's
 * start here), as CoDel judges a queue: when even the shortest sojourn of the messages
 * started within one {@link #INTERVAL} exceeds {@code max-queue-delay}, a standing queue
 * has formed, and a share of the callbacks is refused with 503, storing nothing, so that
 * the platform delivers them again later. The backlog then stays what the nodes answer
 * within about that delay, and latency is back to normal seconds after a burst instead of
 * a backlog that drains as slowly as it grew.
 *
 * <p>
 * The share ({@link #nextShare}): while over, what lets in no more callbacks than the
 * node started in the interval, fewer the further over the queue is (to drain it): 1 -
 * started * max(0.5, 1 - (sojourn - limit) / (2 * limit)) / offered, and all of them past
 * three times the limit; down by 0.1 each interval under, halved when under half the
 * delay; 0 when nothing started. It follows from rates, not from the sojourn alone,
 * because the sojourn of what starts now tells about what was accepted a queue's length
 * ago: refusing all or nothing made refusals come in waves (whole seconds with 1,500
 * refused, then none), and a share that rose with the sojourn overshot to 80 % refused.
 *
 * <p>
 * Only first attempts of messages read fresh from the inbox count: a message parked
 * behind its conversation's previous one, retried, or taken over waited for something
 * else than capacity. A stalled node (no provider: first attempts start at once and wait
 * for a retry; or nothing starts at all) is not overloaded: it keeps taking messages, up
 * to {@code max-backlog}, to answer them when the providers are back.
 *
 * <p>
 * Costs an atomic minimum and a count per started message and a count and a random draw
 * per callback; decided once per interval on a thread of its own; one log line when the
 * state changes.
 */
public class InboxPressure implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(InboxPressure.class);

	/** The interval over which the shortest sojourn is taken. */
	static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final long NONE = Long.MAX_VALUE;

	private static final double STEP = 0.1;

	/** Queued this many times {@code max-queue-delay}: every callback is refused. */
	private static final int FAR_OVER = 3;

	private final Duration maxQueueDelay;

	private final AtomicLong shortest = new AtomicLong(NONE);

	private final AtomicLong starts = new AtomicLong();

	private final AtomicLong offered = new AtomicLong();

	private final ScheduledExecutorService decider;

	private volatile double refusedShare;

	private volatile long queueDelayMillis;

	/**
	 * Judge the queue every {@link #INTERVAL} on a thread of its own, until closed.
	 * @param maxQueueDelay the sojourn past which callbacks are refused ({@code 0}:
	 * never)
	 */
	public InboxPressure(Duration maxQueueDelay) {
		this(maxQueueDelay, true);
	}

	InboxPressure(Duration maxQueueDelay, boolean deciding) {
		this.maxQueueDelay = maxQueueDelay;
		if (deciding) {
			this.decider = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "inbox-pressure");
				thread.setDaemon(true);
				return thread;
			});
			this.decider.scheduleWithFixedDelay(this::decide, INTERVAL.toMillis(), INTERVAL.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		else {
			this.decider = null;
		}
	}

	/**
	 * A message read fresh from the inbox starts its first attempt.
	 * @param sojournMillis how long since it was accepted
	 */
	public void started(long sojournMillis) {
		this.shortest.accumulateAndGet(Math.max(0, sojournMillis), Math::min);
		this.starts.incrementAndGet();
	}

	/**
	 * Whether this node is past its capacity (as of the last interval).
	 * @return {@code true} while the last interval's shortest sojourn exceeded
	 * {@code max-queue-delay}, or callbacks are still refused in part
	 */
	public boolean overloaded() {
		return decide(this.queueDelayMillis, this.maxQueueDelay) || this.refusedShare > 0;
	}

	/**
	 * The share of callbacks refused now.
	 * @return 0 to 1
	 */
	public double refusedShare() {
		return this.refusedShare;
	}

	/**
	 * A callback arrives: whether to refuse it, by a draw against the refused share. Call
	 * once per callback: the calls count what is offered.
	 * @return {@code true} to answer 503
	 */
	public boolean refuse() {
		this.offered.incrementAndGet();
		double share = this.refusedShare;
		return share > 0 && (share >= 1 || ThreadLocalRandom.current().nextDouble() < share);
	}

	/**
	 * The shortest sojourn of the last interval.
	 * @return milliseconds; 0 when nothing started
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

	/**
	 * Close the interval: judge it and start the next (the decider's step; tests call
	 * it).
	 */
	void decide() {
		boolean wasOverloaded = overloaded();
		long min = this.shortest.getAndSet(NONE);
		double after = nextShare(this.refusedShare, min, this.maxQueueDelay, this.starts.getAndSet(0),
				this.offered.getAndSet(0));
		boolean nowOver = decide(min, this.maxQueueDelay);
		if (!wasOverloaded && (nowOver || after > 0)) {
			log.warn("This node is past its capacity: every message it started in the last {} had queued more "
					+ "than max-queue-delay {} (the shortest {} ms); refusing a share of the callbacks with 503 "
					+ "so that the platforms deliver them again later", INTERVAL, this.maxQueueDelay, min);
		}
		else if (wasOverloaded && !nowOver && after == 0) {
			log.info("This node is back within max-queue-delay {}; taking every callback again", this.maxQueueDelay);
		}
		this.queueDelayMillis = (min == NONE) ? 0 : min;
		this.refusedShare = after;
	}

	/**
	 * Whether an interval was over the limit.
	 * @param shortestSojournMillis the shortest sojourn of the interval
	 * ({@link Long#MAX_VALUE}: nothing started)
	 * @param maxQueueDelay the limit ({@code 0}: none)
	 * @return whether even the shortest sojourn exceeded the limit
	 */
	static boolean decide(long shortestSojournMillis, Duration maxQueueDelay) {
		return shortestSojournMillis != NONE && !maxQueueDelay.isZero()
				&& shortestSojournMillis > maxQueueDelay.toMillis();
	}

	/**
	 * The rule: the refused share after an interval.
	 * @param share the share during the interval
	 * @param shortestSojournMillis the interval's shortest sojourn
	 * ({@link Long#MAX_VALUE}: nothing started)
	 * @param maxQueueDelay the limit ({@code 0}: none)
	 * @param started fresh messages started in the interval
	 * @param offered callbacks that arrived in the interval, refused or not
	 * @return the share for the next interval, 0 to 1
	 */
	static double nextShare(double share, long shortestSojournMillis, Duration maxQueueDelay, long started,
			long offered) {
		if (shortestSojournMillis == NONE || maxQueueDelay.isZero()) {
			return 0;
		}
		double limit = maxQueueDelay.toMillis();
		if (decide(shortestSojournMillis, maxQueueDelay)) {
			if (shortestSojournMillis > FAR_OVER * limit) {
				return 1;
			}
			if (offered == 0) {
				return share;
			}
			double drain = Math.max(0.5, 1 - (shortestSojournMillis - limit) / (2 * limit));
			return Math.min(1, Math.max(0, 1 - started * drain / offered));
		}
		double lower = (shortestSojournMillis < limit / 2) ? share / 2 : share - STEP;
		return (lower < STEP / 2) ? 0 : lower;
	}

	@Override
	public void close() {
		if (this.decider != null) {
			this.decider.shutdownNow();
		}
	}

}
