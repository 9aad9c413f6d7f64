package io.chatrelay.loadtest.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.chatrelay.loadtest.traffic.Traffic;

/**
 * Every message of one run and what became of it: sent, acknowledged (or not), replied to
 * (how often, answer or apology). Written by the generator and the platform stand-in,
 * read once at the end as {@link Outcome}s.
 */
public final class MessageBook {

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final AtomicLong unfinished = new AtomicLong();

	/**
	 * Start tracking a message.
	 * @param id its id
	 * @param traffic its kind
	 * @param step its schedule step
	 * @param dueNanos when it was due ({@link System#nanoTime()})
	 * @return the entry to update
	 */
	public Entry add(String id, Traffic traffic, int step, long dueNanos) {
		Entry entry = new Entry(id, traffic, step, dueNanos);
		this.entries.put(id, entry);
		this.unfinished.incrementAndGet();
		return entry;
	}

	/**
	 * A reply reached the platform stand-in.
	 * @param id the message id
	 * @param arrivedNanos when
	 * @param answer whether it is the model's answer (not an apology)
	 * @return whether the message belongs to this run
	 */
	public boolean replied(String id, long arrivedNanos, boolean answer) {
		return replied(id, arrivedNanos, answer, false);
	}

	/**
	 * A reply reached the platform stand-in.
	 * @param id the message id
	 * @param arrivedNanos when
	 * @param answer whether it is the model's answer (not an apology)
	 * @param busy whether it is the client's "busy" apology
	 * @return whether the message belongs to this run
	 */
	public boolean replied(String id, long arrivedNanos, boolean answer, boolean busy) {
		Entry entry = this.entries.get(id);
		if (entry == null) {
			return false;
		}
		if (entry.replies.getAndIncrement() == 0) {
			entry.replyNanos = arrivedNanos;
			entry.answered = answer;
			entry.busy = busy;
			finish(entry);
		}
		return true;
	}

	/**
	 * Messages not yet finished: no reply, no web response, no failed acknowledgement.
	 * @return the count
	 */
	public long unfinished() {
		return this.unfinished.get();
	}

	int size() {
		return this.entries.size();
	}

	/**
	 * What became of each message.
	 * @return one outcome per message
	 */
	public List<Outcome> outcomes() {
		List<Outcome> outcomes = new ArrayList<>(this.entries.size());
		for (Entry entry : this.entries.values()) {
			outcomes.add(entry.outcome());
		}
		return outcomes;
	}

	private void finish(Entry entry) {
		if (entry.finished.compareAndSet(false, true)) {
			this.unfinished.decrementAndGet();
		}
	}

	/**
	 * One message in flight.
	 */
	public final class Entry {

		private final String id;

		private final Traffic traffic;

		private final int step;

		private final long dueNanos;

		private final AtomicInteger replies = new AtomicInteger();

		private final AtomicBoolean finished = new AtomicBoolean();

		private volatile long sentNanos;

		private volatile int status;

		private volatile long ackNanos;

		private volatile long replyNanos;

		private volatile boolean answered;

		private volatile boolean busy;

		private volatile String error;

		private Entry(String id, Traffic traffic, int step, long dueNanos) {
			this.id = id;
			this.traffic = traffic;
			this.step = step;
			this.dueNanos = dueNanos;
		}

		String id() {
			return this.id;
		}

		public void sent(long nanos) {
			this.sentNanos = nanos;
		}

		/**
		 * The callback was answered: with 200 the reply comes later, anything else ends
		 * the message.
		 * @param nanos when the response was complete
		 * @param httpStatus its status
		 */
		public void acked(long nanos, int httpStatus) {
			this.ackNanos = nanos;
			this.status = httpStatus;
			if (httpStatus != 200) {
				finish(this);
			}
		}

		/**
		 * A web request was answered: the response is the reply.
		 * @param nanos when the response was complete
		 * @param httpStatus its status
		 * @param answer whether it holds the model's answer
		 * @param problem what went wrong despite a 200 (a stream {@code error} event), or
		 * {@code null}
		 */
		public void answered(long nanos, int httpStatus, boolean answer, String problem) {
			this.ackNanos = nanos;
			this.status = httpStatus;
			this.error = problem;
			if (httpStatus == 200) {
				this.replies.incrementAndGet();
				this.replyNanos = nanos;
				this.answered = answer;
			}
			finish(this);
		}

		/**
		 * Sending failed (connection refused, timeout).
		 * @param nanos when it failed
		 * @param failure what happened
		 */
		public void failed(long nanos, Throwable failure) {
			this.ackNanos = nanos;
			this.status = 0;
			Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
			this.error = cause.getClass().getSimpleName();
			finish(this);
		}

		Outcome outcome() {
			return new Outcome(this.id, this.traffic, this.step, this.dueNanos, this.sentNanos, this.status,
					this.ackNanos, this.replyNanos, this.replies.get(), this.answered, this.error, this.busy);
		}

	}

}
