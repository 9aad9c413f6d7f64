package io.chatrelay.client.channel;

import java.time.Duration;

/**
 * Where verified platform messages are stored before the platform is acknowledged (the
 * durable inbox). Storing and deduplicating are one atomic step: a message is either
 * claimed and stored, or neither, so a failure can be answered 503 and the platform's
 * next delivery is processed.
 */
public interface ChannelInbox {

	/**
	 * Store a verified message unless it was seen before or the backlog is full.
	 * @param message the message
	 * @param dedupeTtl how long its id is remembered
	 * @return what became of it
	 * @throws redis.clients.jedis.exceptions.JedisException when the store is unavailable
	 * (nothing was stored)
	 */
	Intake accept(ChannelMessage message, Duration dedupeTtl);

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
