package io.chatrelay.loadtest.measure;

import io.chatrelay.loadtest.traffic.Traffic;

/**
 * What became of one message, all times from {@link System#nanoTime()} in the load tool's
 * JVM (the stand-ins run there too, so every time is on one clock).
 *
 * @param id the message id
 * @param traffic its kind
 * @param step the schedule step it belongs to
 * @param dueNanos when it was due (latencies count from here, not from when it was sent)
 * @param sentNanos when it was handed to the HTTP client, 0 if never
 * @param status the HTTP status of the callback's or web request's response, 0 when none
 * came (see {@code error})
 * @param ackNanos when that response was complete, 0 if never
 * @param replyNanos when the first reply arrived (DingTalk: at the platform stand-in;
 * web: the response), 0 if never
 * @param replies how many replies arrived
 * @param answered whether the first reply was the model's answer, not an apology
 * @param error what went wrong without an HTTP status, or despite a 200, else
 * {@code null}
 * @param busy whether the first reply was the client's "busy" apology (its inbox was
 * full, or the message waited longer than {@code max-age})
 */
public record Outcome(String id, Traffic traffic, int step, long dueNanos, long sentNanos, int status, long ackNanos,
		long replyNanos, int replies, boolean answered, String error, boolean busy) {

	/**
	 * An outcome whose first reply, if any, was not the "busy" apology.
	 * @param id the message id
	 * @param traffic its kind
	 * @param step the schedule step it belongs to
	 * @param dueNanos when it was due
	 * @param sentNanos when it was handed to the HTTP client, 0 if never
	 * @param status the HTTP status of the response, 0 when none came
	 * @param ackNanos when that response was complete, 0 if never
	 * @param replyNanos when the first reply arrived, 0 if never
	 * @param replies how many replies arrived
	 * @param answered whether the first reply was the model's answer
	 * @param error what went wrong without an HTTP status, or despite a 200, else
	 * {@code null}
	 */
	public Outcome(String id, Traffic traffic, int step, long dueNanos, long sentNanos, int status, long ackNanos,
			long replyNanos, int replies, boolean answered, String error) {
		this(id, traffic, step, dueNanos, sentNanos, status, ackNanos, replyNanos, replies, answered, error, false);
	}

	/**
	 * Whether the platform (or web caller) got an acknowledgement.
	 * @return status 200
	 */
	boolean acked() {
		return this.status == 200;
	}

	/**
	 * Whether a reply arrived.
	 * @return at least one reply
	 */
	public boolean replied() {
		return this.replies > 0;
	}

}
