package io.chatrelay.client.conversation;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.redis.RedisScript;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Conversation context in Redis: one list per (tenant, conversation) under
 * {@code cr:{tenant}:ctx:<conversation>}, one JSON turn per element, trimmed to the
 * window and expiring after {@code ttl} without activity (every read and write renews
 * it).
 */
public class ConversationStore {

	private final UnifiedJedis jedis;

	private final ObjectMapper json;

	private final String keyPrefix;

	private final long ttlMillis;

	private final int maxTurns;

	private final RedisScript append;

	/**
	 * Create a store.
	 * @param jedis the node's Redis client
	 * @param json JSON mapper for turns
	 * @param tenantId the tenant whose conversations this store holds
	 * @param ttl sliding expiry
	 * @param maxTurns how many turns to keep
	 */
	public ConversationStore(UnifiedJedis jedis, ObjectMapper json, String tenantId, Duration ttl, int maxTurns) {
		this.jedis = jedis;
		this.append = new RedisScript(jedis, "/conversation/append.lua");
		this.json = json;
		this.keyPrefix = "cr:{" + tenantId + "}:ctx:";
		this.ttlMillis = ttl.toMillis();
		this.maxTurns = maxTurns;
	}

	/**
	 * The Redis key of a conversation.
	 * @param conversationId the conversation
	 * @return the key
	 */
	public String key(String conversationId) {
		return this.keyPrefix + conversationId;
	}

	/**
	 * Read the window of a conversation and renew its expiry, in one round trip.
	 * @param conversationId the conversation
	 * @return its turns, oldest first; empty for a new or expired conversation
	 */
	public List<Turn> load(String conversationId) {
		if (this.maxTurns == 0) {
			return List.of();
		}
		String key = key(conversationId);
		Response<List<String>> stored;
		try (AbstractPipeline pipeline = this.jedis.pipelined()) {
			stored = pipeline.lrange(key, -this.maxTurns, -1);
			pipeline.pexpire(key, this.ttlMillis);
			pipeline.sync();
		}
		List<Turn> turns = new ArrayList<>(stored.get().size());
		for (String element : stored.get()) {
			turns.add(parse(element));
		}
		return turns;
	}

	/**
	 * Append a turn, keep only the window and renew the expiry, atomically.
	 * @param conversationId the conversation
	 * @param turn the new turn
	 */
	public void append(String conversationId, Turn turn) {
		if (this.maxTurns == 0) {
			return;
		}
		String key = key(conversationId);
		this.append.run(List.of(key),
				List.of(write(turn), Integer.toString(this.maxTurns), Long.toString(this.ttlMillis)));
	}

	/**
	 * Forget a conversation.
	 * @param conversationId the conversation
	 * @return whether there was anything to forget
	 */
	public boolean clear(String conversationId) {
		return this.jedis.del(key(conversationId)) > 0;
	}

	private Turn parse(String element) {
		try {
			return this.json.readValue(element, Turn.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Unreadable conversation turn in Redis", ex);
		}
	}

	private String write(Turn turn) {
		try {
			return this.json.writeValueAsString(turn);
		}
		catch (JsonProcessingException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
