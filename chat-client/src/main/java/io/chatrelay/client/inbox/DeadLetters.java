package io.chatrelay.client.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The inbox's dead letters, the stream {@code cr:{t}:dead}: entries that failed
 * {@code max-attempts} times or could not be read, kept for a person to look at and
 * replay ({@code /actuator/deadletters}, docs/operations.md).
 */
public class DeadLetters {

	private final UnifiedJedis redis;

	private final String inbox;

	private final String dead;

	private final String attempts;

	private final UnaryOperator<String> order;

	private final Duration orderTtl;

	private final RedisScript complete;

	DeadLetters(UnifiedJedis redis, String inbox, String dead, String attempts, UnaryOperator<String> order,
			Duration orderTtl, RedisScript complete) {
		this.redis = redis;
		this.inbox = inbox;
		this.dead = dead;
		this.attempts = attempts;
		this.order = order;
		this.orderTtl = orderTtl;
		this.complete = complete;
	}

	/**
	 * Move an entry to the dead-letter stream and finish it, so its conversation moves
	 * on.
	 * @param entry the entry
	 * @param reason why, for operators (no secrets)
	 */
	public void deadLetter(InboxEntry entry, String reason) {
		List<String> args = new ArrayList<>(List.of(Inbox.GROUP, entry.id(), String.valueOf(entry.seq()),
				String.valueOf(this.orderTtl.toSeconds()), "reason", reason, "entryId", entry.id()));
		InboxEntry.fields(entry.message()).forEach((key, value) -> {
			args.add(key);
			args.add(value);
		});
		this.complete.run(
				List.of(this.order.apply(entry.message().conversationId()), this.inbox, this.attempts, this.dead),
				args);
	}

	/**
	 * The dead letters, oldest first.
	 * @param count at most this many
	 * @return the entries with their fields
	 */
	public List<StreamEntry> list(int count) {
		return this.redis.xrange(this.dead, "-", "+", count);
	}

	/**
	 * Put a dead letter back into the inbox as a new message of its conversation.
	 * @param deadLetterId its id in the dead-letter stream
	 * @return {@code false} if there is no such dead letter
	 */
	public boolean replay(String deadLetterId) {
		List<StreamEntry> found = this.redis.xrange(this.dead, deadLetterId, deadLetterId, 1);
		if (found.isEmpty()) {
			return false;
		}
		Map<String, String> fields = found.get(0).getFields();
		long seq = this.redis.hincrBy(this.order.apply(fields.get("conversationId")), "next", 1);
		Map<String, String> entry = new LinkedHashMap<>();
		entry.put("seq", String.valueOf(seq));
		fields.forEach((key, value) -> {
			if (!key.equals("reason") && !key.equals("entryId") && !key.equals("seq")) {
				entry.put(key, value);
			}
		});
		// A replayed message is new: its max-age counts from now.
		entry.put("receivedAt", String.valueOf(System.currentTimeMillis()));
		this.redis.xadd(this.inbox, StreamEntryID.NEW_ENTRY, entry);
		this.redis.xdel(this.dead, new StreamEntryID(deadLetterId));
		return true;
	}

	/**
	 * Move an entry that cannot be read into the dead letters: left pending it would be
	 * taken over and skipped again forever.
	 * @param entry the stream entry as read
	 * @param problem what is wrong with it
	 */
	void unreadable(StreamEntry entry, String problem) {
		Map<String, String> fields = new LinkedHashMap<>(entry.getFields());
		fields.put("reason", "unreadable: " + problem);
		fields.put("entryId", entry.getID().toString());
		this.redis.xadd(this.dead, StreamEntryID.NEW_ENTRY, fields);
		this.redis.xack(this.inbox, Inbox.GROUP, entry.getID());
		this.redis.xdel(this.inbox, entry.getID());
	}

}
