package io.chatrelay.client.inbox;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The durable inbox and its workers ({@code chat.client.inbox.*}).
 *
 * @param concurrency messages this node works on at once (the answers are asynchronous;
 * this bounds provider calls in flight per node, and a node's rate to
 * {@code concurrency ÷ model latency})
 * @param maxBacklog when the inbox holds this many unfinished messages, new ones are
 * answered "busy, try again shortly" instead of queued (0: no limit)
 * @param claimIdle an entry a node has not touched for this long is taken over by another
 * node (the holder died or froze); live nodes touch theirs every third of it
 * @param maxAttempts attempts before a message goes to the dead-letter stream
 * @param maxAge a message still unanswered this long after it arrived (for example
 * because no provider was reachable) is answered "busy" instead
 * @param retryBackoff the wait before retrying a message that could not be answered yet
 * (doubled per attempt, at most {@code 16×})
 * @param readBlock how long one read waits for new entries
 * @param batch entries read at once
 * @param orderTtl how long a conversation's order counters live after its last message
 * @param deadLettersMax the most dead letters kept; the oldest go first
 * @param deadLetterMaxAge dead letters older than this are deleted when the next one is
 * added
 * @param maxQueueDelay when every message a node started answering within a second had
 * queued longer than this since its acceptance (a standing queue: the nodes work, only
 * not fast enough), the node refuses platform callbacks with 503 and {@code Retry-After},
 * storing nothing, so that the platform delivers them again later instead of the backlog
 * growing ({@code 0}: never refused for this; a stalled inbox, e.g. no provider, fills up
 * to {@code max-backlog} as before)
 */
@Validated
@ConfigurationProperties("chat.client.inbox")
public record InboxProperties(@Min(1) @Max(4096) @DefaultValue("256") int concurrency,
		@Min(0) @DefaultValue("10000") int maxBacklog, @NotNull @DefaultValue("60s") Duration claimIdle,
		@Min(1) @Max(100) @DefaultValue("5") int maxAttempts, @NotNull @DefaultValue("10m") Duration maxAge,
		@NotNull @DefaultValue("2s") Duration retryBackoff, @NotNull @DefaultValue("2s") Duration readBlock,
		@Min(1) @Max(1000) @DefaultValue("32") int batch, @NotNull @DefaultValue("7d") Duration orderTtl,
		@Min(1) @DefaultValue("10000") int deadLettersMax, @NotNull @DefaultValue("30d") Duration deadLetterMaxAge,
		@NotNull @DefaultValue("5s") Duration maxQueueDelay) {

	/**
	 * The constructor Spring binds (a record with a second constructor needs it named).
	 */
	@ConstructorBinding
	public InboxProperties {
	}

	/** The defaults of the dead-letter bounds, for the constructor without them. */
	private static final int DEFAULT_DEAD_LETTERS_MAX = 10_000;

	private static final Duration DEFAULT_DEAD_LETTER_MAX_AGE = Duration.ofDays(30);

	private static final Duration DEFAULT_MAX_QUEUE_DELAY = Duration.ofSeconds(5);

	/**
	 * The settings before callbacks were refused for the queue's delay; they get its
	 * default.
	 * @param concurrency messages worked on at once
	 * @param maxBacklog backlog that answers "busy"
	 * @param claimIdle idle time before a take-over
	 * @param maxAttempts attempts before the dead letters
	 * @param maxAge age that answers "busy"
	 * @param retryBackoff first retry wait
	 * @param readBlock read wait
	 * @param batch entries per read
	 * @param orderTtl order counters' life
	 * @param deadLettersMax the most dead letters kept
	 * @param deadLetterMaxAge the oldest dead letters kept
	 */
	public InboxProperties(int concurrency, int maxBacklog, Duration claimIdle, int maxAttempts, Duration maxAge,
			Duration retryBackoff, Duration readBlock, int batch, Duration orderTtl, int deadLettersMax,
			Duration deadLetterMaxAge) {
		this(concurrency, maxBacklog, claimIdle, maxAttempts, maxAge, retryBackoff, readBlock, batch, orderTtl,
				deadLettersMax, deadLetterMaxAge, DEFAULT_MAX_QUEUE_DELAY);
	}

	/**
	 * The settings before the dead letters were bounded; they get the default bounds.
	 * @param concurrency messages worked on at once
	 * @param maxBacklog backlog that answers "busy"
	 * @param claimIdle idle time before a take-over
	 * @param maxAttempts attempts before the dead letters
	 * @param maxAge age that answers "busy"
	 * @param retryBackoff first retry wait
	 * @param readBlock read wait
	 * @param batch entries per read
	 * @param orderTtl order counters' life
	 */
	public InboxProperties(int concurrency, int maxBacklog, Duration claimIdle, int maxAttempts, Duration maxAge,
			Duration retryBackoff, Duration readBlock, int batch, Duration orderTtl) {
		this(concurrency, maxBacklog, claimIdle, maxAttempts, maxAge, retryBackoff, readBlock, batch, orderTtl,
				DEFAULT_DEAD_LETTERS_MAX, DEFAULT_DEAD_LETTER_MAX_AGE, DEFAULT_MAX_QUEUE_DELAY);
	}

}
