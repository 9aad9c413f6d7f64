package io.chatrelay.client.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.chatrelay.client.redis.RedisScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * The tenant's durable inbox: a Redis Stream {@code cr:{t}:inbox} read by every client
 * node through one consumer group. A message is claimed (dedupe), numbered within its
 * conversation and appended in one atomic script, so it is either stored and will be
 * answered, or not stored at all (and the platform, answered 503, delivers it again).
 * Entries are acknowledged and deleted once the reply reached the platform, so the
 * stream's length is the backlog. Failed entries go to the dead-letter stream
 * {@code cr:{t}:dead}. A node that parked an entry behind its conversation's previous
 * message hears when that one is finished on the channel {@code cr:{t}:inbox:done}.
 */
public class Inbox implements ChannelInbox {

	private static final Logger log = LoggerFactory.getLogger(Inbox.class);

	/** The consumer group every node reads through. */
	public static final String GROUP = "workers";

	/** The consumer a leaving node hands its entries to, for the others to take over. */
	static final String HANDED_BACK = "handed-back";

	private final UnifiedJedis redis;

	private final String prefix;

	private final String inbox;

	private final String attempts;

	private final String dead;

	private final InboxProperties properties;

	private final RedisScript accept;

	private final RedisScript complete;

	private final RedisScript park;

	private final RedisScript leave;

	private final RedisScript reap;

	private final DeadLetters deadLetters;

	private final int acknowledgeReplicas;

	private final long acknowledgeTimeoutMillis;

	/**
	 * Create the inbox.
	 * @param redis the tenant's Redis
	 * @param tenantId the tenant
	 * @param properties its settings
	 */
	public Inbox(UnifiedJedis redis, String tenantId, InboxProperties properties) {
		this(redis, tenantId, properties, 0, Duration.ZERO);
	}

	/**
	 * Create the inbox, acknowledging a message only once replicas hold it.
	 * @param redis the tenant's Redis
	 * @param tenantId the tenant
	 * @param properties its settings
	 * @param acknowledgeReplicas replicas that must confirm an accepted message
	 * ({@code WAIT}) before it counts as accepted; 0 for none
	 * @param acknowledgeTimeout how long to wait for them
	 */
	public Inbox(UnifiedJedis redis, String tenantId, InboxProperties properties, int acknowledgeReplicas,
			Duration acknowledgeTimeout) {
		this.acknowledgeReplicas = acknowledgeReplicas;
		this.acknowledgeTimeoutMillis = Math.max(1, acknowledgeTimeout.toMillis());
		this.redis = redis;
		this.prefix = "cr:{" + tenantId + "}:";
		this.inbox = this.prefix + "inbox";
		this.attempts = this.prefix + "inbox:attempts";
		this.dead = this.prefix + "dead";
		this.properties = properties;
		this.accept = new RedisScript(redis, "/inbox/accept.lua");
		this.complete = new RedisScript(redis, "/inbox/complete.lua");
		this.park = new RedisScript(redis, "/inbox/park.lua");
		this.leave = new RedisScript(redis, "/inbox/leave.lua");
		this.reap = new RedisScript(redis, "/inbox/reap.lua");
		this.deadLetters = new DeadLetters(redis, this.inbox, this.dead, this.attempts, order(""), properties,
				this.complete);
	}

	/**
	 * Accept a verified message: dedupe, backlog check, order number and append, in one
	 * atomic step.
	 * @param message the message
	 * @param dedupeTtl how long its id is remembered
	 * @param remember the value remembered with its id, returned to its duplicates
	 * @return what became of it
	 * @throws redis.clients.jedis.exceptions.JedisException when Redis cannot take it
	 * (nothing was stored; the platform must deliver it again)
	 */
	@Override
	public Acceptance accept(ChannelMessage message, Duration dedupeTtl, String remember) {
		List<String> args = new ArrayList<>();
		args.add(String.valueOf(Math.max(1, dedupeTtl.toSeconds())));
		args.add(String.valueOf(this.properties.maxBacklog()));
		args.add(String.valueOf(this.properties.orderTtl().toSeconds()));
		args.add(remember);
		InboxEntry.fields(message).forEach((key, value) -> {
			args.add(key);
			args.add(value);
		});
		List<String> keys = List.of(this.prefix + "seen:" + message.channel() + ":" + message.messageId(), this.inbox,
				order(message.conversationId()));
		List<?> result;
		if (this.acknowledgeReplicas > 0) {
			RedisScript.Replicated replicated = this.accept.runAndWait(keys, args, this.acknowledgeReplicas,
					this.acknowledgeTimeoutMillis);
			result = (List<?>) replicated.result();
			if (!"busy".equals(String.valueOf(result.get(0)))) {
				// A duplicate too: the first delivery may have been refused for want of a
				// replica, and only a replica's copy makes an acknowledgement safe.
				requireReplicas(message, replicated.confirmed());
			}
		}
		else {
			result = (List<?>) this.accept.run(keys, args);
		}
		return switch (String.valueOf(result.get(0))) {
			case "queued" -> new Acceptance(Intake.QUEUED, remember);
			case "duplicate" -> new Acceptance(Intake.DUPLICATE,
					(result.size() > 1 && result.get(1) != null) ? String.valueOf(result.get(1)) : remember);
			default -> new Acceptance(Intake.BUSY, remember);
		};
	}

	/**
	 * With {@code chat.client.redis.acknowledge-replicas}, a message counts as accepted
	 * only once that many replicas hold it ({@code WAIT} after the accept script, on its
	 * connection). A failover before they do would lose an acknowledged message; failing
	 * here answers the platform 503 instead, and its next delivery waits for the replicas
	 * again. Without enough replicas the tenant takes no messages: run one more replica
	 * than this setting.
	 */
	private void requireReplicas(ChannelMessage message, long confirmed) {
		if (confirmed < this.acknowledgeReplicas) {
			throw new JedisException("Message " + message.channel() + ":" + message.messageId() + " is stored but only "
					+ confirmed + " of " + this.acknowledgeReplicas + " replicas confirmed it within "
					+ this.acknowledgeTimeoutMillis + " ms");
		}
	}

	/**
	 * Create the consumer group (and the stream) unless they exist.
	 */
	public void ensureGroup() {
		try {
			this.redis.xgroupCreate(this.inbox, GROUP, new StreamEntryID(0, 0), true);
		}
		catch (JedisDataException ex) {
			if (ex.getMessage() == null || !ex.getMessage().startsWith("BUSYGROUP")) {
				throw ex;
			}
		}
	}

	/**
	 * Read entries no node has read yet.
	 * @param consumer this node's consumer name
	 * @param count at most this many
	 * @param block how long to wait when there are none
	 * @return the entries, oldest first
	 */
	public List<InboxEntry> read(String consumer, int count, Duration block) {
		List<Map.Entry<String, List<StreamEntry>>> streams = this.redis.xreadGroup(GROUP, consumer,
				XReadGroupParams.xReadGroupParams().count(count).block((int) block.toMillis()),
				Map.of(this.inbox, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
		List<InboxEntry> entries = new ArrayList<>();
		if (streams != null) {
			streams.forEach((stream) -> stream.getValue().forEach((entry) -> add(entries, entry)));
		}
		return entries;
	}

	/**
	 * Take over entries another consumer has held longer than the idle time (a node that
	 * died or froze).
	 * @param consumer this node's consumer name
	 * @param minIdle how long an entry must have been idle
	 * @param count at most this many
	 * @return the entries now held by this consumer
	 */
	public List<InboxEntry> claimIdle(String consumer, Duration minIdle, int count) {
		List<InboxEntry> entries = new ArrayList<>();
		StreamEntryID cursor = new StreamEntryID(0, 0);
		// XAUTOCLAIM scans at most 10 × COUNT pending entries per call: follow its cursor
		// (bounded) so that idle entries behind a long pending list are found too.
		for (int scans = 0; scans < 20 && entries.size() < count; scans++) {
			Map.Entry<StreamEntryID, List<StreamEntry>> claimed = this.redis.xautoclaim(this.inbox, GROUP, consumer,
					minIdle.toMillis(), cursor, new XAutoClaimParams().count(count - entries.size()));
			claimed.getValue().forEach((entry) -> add(entries, entry));
			cursor = claimed.getKey();
			if (cursor == null || cursor.equals(new StreamEntryID(0, 0))) {
				break;
			}
		}
		return entries;
	}

	/**
	 * Reset the idle time of entries this consumer still works on, so that no other node
	 * takes them over.
	 * @param consumer this node's consumer name
	 * @param ids the entries
	 */
	public void touch(String consumer, Collection<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		this.redis.xclaimJustId(this.inbox, GROUP, consumer, 0, new XClaimParams(),
				ids.stream().map(StreamEntryID::new).toArray(StreamEntryID[]::new));
	}

	/**
	 * Leave the consumer group (graceful shutdown): hand every entry the consumer still
	 * holds to {@value #HANDED_BACK}, marked idle for {@code idle}, so that the other
	 * nodes take them over on their next claim round, and delete the consumer.
	 * @param consumer the leaving node's consumer
	 * @param idle the idle time to mark the entries with (the claim timeout)
	 * @return how many entries were handed back
	 */
	public long leave(String consumer, Duration idle) {
		Object handed = this.leave.run(List.of(this.inbox),
				List.of(GROUP, consumer, HANDED_BACK, String.valueOf(idle.toMillis())));
		return ((Number) handed).longValue();
	}

	/**
	 * Delete the consumers of nodes that are gone: holding no entry and idle longer than
	 * {@code idle} (a node that died leaves its consumer behind; its entries are taken
	 * over, then the empty consumer is removed here).
	 * @param idle how long a consumer must have been idle
	 * @return how many consumers were deleted
	 */
	public long reap(Duration idle) {
		Object reaped = this.reap.run(List.of(this.inbox), List.of(GROUP, String.valueOf(idle.toMillis())));
		return ((Number) reaped).longValue();
	}

	/**
	 * The number of the conversation's last finished message.
	 * @param conversationId the conversation
	 * @return 0 when none
	 */
	public long done(String conversationId) {
		String done = this.redis.hget(order(conversationId), "done");
		return (done != null) ? Long.parseLong(done) : 0;
	}

	/**
	 * The numbers of the conversations' last finished messages, in one round trip.
	 * @param conversationIds the conversations
	 * @return each conversation's number; 0 when none
	 */
	public Map<String, Long> done(Collection<String> conversationIds) {
		Map<String, Response<String>> read = new HashMap<>();
		try (AbstractPipeline pipeline = this.redis.pipelined()) {
			for (String conversationId : conversationIds) {
				read.computeIfAbsent(conversationId, (id) -> pipeline.hget(order(id), "done"));
			}
		}
		Map<String, Long> done = new HashMap<>();
		read.forEach((id, value) -> done.put(id, (value.get() != null) ? Long.parseLong(value.get()) : 0L));
		return done;
	}

	/**
	 * Park an entry behind its conversation's previous message: unless that one finished
	 * meanwhile, mark the conversation as awaited, so that finishing it publishes the
	 * conversation on {@link #subscribeDone the done channel}. Checked and marked in one
	 * step, so the news cannot be missed.
	 * @param entry the entry
	 * @return the conversation's last finished number when the entry need not wait (any
	 * more), else empty (parked)
	 */
	public OptionalLong park(InboxEntry entry) {
		long done = ((Number) this.park.run(List.of(order(entry.message().conversationId())),
				List.of(String.valueOf(entry.seq()))))
			.longValue();
		return (done < 0) ? OptionalLong.empty() : OptionalLong.of(done);
	}

	/**
	 * Listen for finished messages of awaited conversations (see {@link #park}); blocks
	 * the calling thread, on a connection of its own, until the listener unsubscribes or
	 * the connection fails.
	 * @param listener told each finished conversation's order key (see
	 * {@link #conversationOf})
	 */
	public void subscribeDone(JedisPubSub listener) {
		this.redis.subscribe(listener, this.inbox + ":done");
	}

	/**
	 * The conversation of an order key published on the done channel.
	 * @param orderKey the published key
	 * @return its conversation, or {@code null} when the key is not one of this inbox's
	 */
	public String conversationOf(String orderKey) {
		String prefix = order("");
		return (orderKey != null && orderKey.startsWith(prefix)) ? orderKey.substring(prefix.length()) : null;
	}

	/**
	 * Count one more attempt at an entry.
	 * @param entry the entry
	 * @return the attempts so far, this one included
	 */
	public long attempt(InboxEntry entry) {
		return this.redis.hincrBy(this.attempts, entry.id(), 1);
	}

	/**
	 * Finish an entry whose reply reached the platform: the conversation moves on, the
	 * entry is acknowledged and deleted.
	 * @param entry the entry
	 */
	public void complete(InboxEntry entry) {
		this.complete.run(List.of(order(entry.message().conversationId()), this.inbox, this.attempts), List.of(GROUP,
				entry.id(), String.valueOf(entry.seq()), String.valueOf(this.properties.orderTtl().toSeconds())));
	}

	/**
	 * The dead letters of this inbox.
	 * @return the dead-letter stream
	 */
	public DeadLetters deadLetters() {
		return this.deadLetters;
	}

	/**
	 * The inbox's numbers for metrics.
	 * @return length, pending, oldest pending age, dead letters
	 */
	public Stats stats() {
		long length = this.redis.xlen(this.inbox);
		StreamPendingSummary pending;
		try {
			pending = this.redis.xpending(this.inbox, GROUP);
		}
		catch (JedisDataException ex) {
			return new Stats(length, 0, 0, this.redis.xlen(this.dead));
		}
		long oldestAge = (pending.getTotal() > 0 && pending.getMinId() != null)
				? Math.max(0, System.currentTimeMillis() - pending.getMinId().getTime()) : 0;
		return new Stats(length, pending.getTotal(), oldestAge, this.redis.xlen(this.dead));
	}

	private String order(String conversationId) {
		return this.prefix + "order:" + conversationId;
	}

	private void add(List<InboxEntry> entries, StreamEntry entry) {
		if (entry == null || entry.getFields() == null) {
			return;
		}
		try {
			entries.add(InboxEntry.of(entry.getID().toString(), entry.getFields()));
		}
		catch (RuntimeException ex) {
			// Left pending it would be taken over and skipped again forever: keep it for
			// a person in the dead letters instead.
			log.error("Unreadable inbox entry {} moved to the dead letters: {}", entry.getID(), ex.getMessage());
			this.deadLetters.unreadable(entry, ex.getMessage());
		}
	}

	/**
	 * The inbox's numbers.
	 *
	 * @param length entries not yet finished (queued, in work, waiting for a retry)
	 * @param pending entries read by some node and not yet finished
	 * @param oldestPendingAgeMillis age of the oldest of those
	 * @param deadLetters entries in the dead-letter stream
	 */
	public record Stats(long length, long pending, long oldestPendingAgeMillis, long deadLetters) {
	}

}
