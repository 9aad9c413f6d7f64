package io.chatrelay.client.inbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Where verified platform messages are stored before the platform is acknowledged (the
 * durable inbox). Storing and deduplicating are one atomic step: a message is either
 * claimed and stored, or neither, so a failure can be answered 503 and the platform's
 * next delivery is processed.
 */
public interface ChannelInbox {

	/**
	 * Store a verified message unless it was seen before or the backlog is full (its id
	 * is remembered with the value {@code "1"}).
	 * @param message the message
	 * @param dedupeTtl how long its id is remembered
	 * @return what became of it
	 * @throws redis.clients.jedis.exceptions.JedisException when the store is unavailable
	 * (nothing was stored)
	 */
	default Intake accept(ChannelMessage message, Duration dedupeTtl) {
		return accept(message, dedupeTtl, "1").intake();
	}

	/**
	 * Store a verified message unless it was seen before or the backlog is full, and
	 * remember a value with its id that later deliveries of the same message get back
	 * (the WeCom AI bot remembers the stream the first delivery started).
	 * @param message the message
	 * @param dedupeTtl how long its id (and the value) is remembered
	 * @param remember the value to remember with the id
	 * @return what became of it, with the value remembered for it
	 * @throws redis.clients.jedis.exceptions.JedisException when the store is unavailable
	 * (nothing was stored)
	 */
	Acceptance accept(ChannelMessage message, Duration dedupeTtl, String remember);

	/**
	 * What became of a message, and the value remembered with its id.
	 *
	 * @param intake what became of it
	 * @param remembered the value remembered with its id: the one given for a new message
	 * ({@link Intake#QUEUED}, {@link Intake#BUSY}), the first delivery's for a
	 * {@link Intake#DUPLICATE}
	 */
	record Acceptance(Intake intake, String remembered) {

		/**
		 * Validate.
		 * @param intake what became of it
		 * @param remembered the value remembered
		 */
		public Acceptance {
			Objects.requireNonNull(intake, "intake");
			Objects.requireNonNull(remembered, "remembered");
		}

	}

	/**
	 * What became of a message handed to {@link #accept}.
	 */
	enum Intake {

		/** Stored: it will be answered. */
		QUEUED,

		/** Seen before (a platform retry, or the same webhook at another node). */
		DUPLICATE,

		/** Claimed, but the backlog is full: answer "busy" instead of queueing it. */
		BUSY

	}

}
