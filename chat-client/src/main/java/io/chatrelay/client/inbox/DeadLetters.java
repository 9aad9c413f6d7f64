package io.chatrelay.client.inbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatrelay.client.redis.RedisScript;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The inbox's dead letters, the stream {@code cr:{t}:dead}: entries that failed
 * {@code max-attempts} times or could not be read, kept for a person to look at and
 * replay ({@code /actuator/deadletters}, docs/operations.md). At most
 * {@code dead-letters-max} are kept, none older than {@code dead-letter-max-age}.
 */
public class DeadLetters {

	private final UnifiedJedis redis;

	private final String inbox;

	private final String dead;

	private final String attempts;

	/** {@code cr:{t}:order:}, followed by the conversation id. */
	private final String orderPrefix;

	private final InboxProperties properties;

	private final RedisScript complete;

	private final RedisScript replay;

	DeadLetters(UnifiedJedis redis, String inbox, String dead, String attempts, String orderPrefix,
			InboxProperties properties, RedisScript complete) {
		this.redis = redis;
		this.inbox = inbox;
		this.dead = dead;
		this.attempts = attempts;
		this.orderPrefix = orderPrefix;
		this.properties = properties;
		this.complete = complete;
		this.replay = new RedisScript(redis, "/inbox/replay.lua");
	}

	/**
	 * Move an entry to the dead-letter stream and finish it, so its conversation moves
	 * on.
	 * @param entry the entry
	 * @param reason why, for operators (no secrets)
	 */
	public void deadLetter(InboxEntry entry, String reason) {
		List<String> args = new ArrayList<>(List.of(Inbox.GROUP, entry.id(), String.valueOf(entry.seq()),
				String.valueOf(this.properties.orderTtl().toSeconds()),
				String.valueOf(this.properties.deadLettersMax()), oldestKept(), "reason", reason, "entryId",
				entry.id()));
		InboxEntry.fields(entry.message()).forEach((key, value) -> {
			args.add(key);
			args.add(value);
		});
		this.complete.run(
				List.of(this.orderPrefix + entry.message().conversationId(), this.inbox, this.attempts, this.dead),
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
	 * Put a dead letter back into the inbox as a new message of its conversation, in one
	 * atomic script (a crash or a second replay in between can neither lose it nor queue
	 * it twice).
	 * @param deadLetterId its id in the dead-letter stream
	 * @return {@code false} if there is no such dead letter, or it has no conversation
	 * (unreadable; it stays)
	 */
	public boolean replay(String deadLetterId) {
		Object result = this.replay.run(List.of(this.dead, this.inbox),
				List.of(deadLetterId, String.valueOf(System.currentTimeMillis()), this.orderPrefix));
		return ((Number) result).longValue() == 1;
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
		this.redis.xadd(this.dead, XAddParams.xAddParams().maxLen(this.properties.deadLettersMax()).exactTrimming(),
				fields);
		this.redis.xtrim(this.dead, XTrimParams.xTrimParams().minId(oldestKept()).exactTrimming());
		this.redis.xack(this.inbox, Inbox.GROUP, entry.getID());
		this.redis.xdel(this.inbox, entry.getID());
	}

	/** The id of the oldest dead letter kept: {@code <now - dead-letter-max-age>-0}. */
	private String oldestKept() {
		return Math.max(0, System.currentTimeMillis() - this.properties.deadLetterMaxAge().toMillis()) + "-0";
	}

}
