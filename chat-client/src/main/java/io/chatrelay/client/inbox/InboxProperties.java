package io.chatrelay.client.inbox;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@Validated
@ConfigurationProperties("chat.client.inbox")
public record InboxProperties(@Min(1) @Max(4096) @DefaultValue("256") int concurrency,
		@Min(0) @DefaultValue("10000") int maxBacklog, @NotNull @DefaultValue("60s") Duration claimIdle,
		@Min(1) @Max(100) @DefaultValue("5") int maxAttempts, @NotNull @DefaultValue("10m") Duration maxAge,
		@NotNull @DefaultValue("2s") Duration retryBackoff, @NotNull @DefaultValue("2s") Duration readBlock,
		@Min(1) @Max(1000) @DefaultValue("32") int batch, @NotNull @DefaultValue("7d") Duration orderTtl) {

}
