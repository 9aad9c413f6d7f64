package io.chatrelay.client.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.chatrelay.client.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * The tenant's API keys in Redis: one hash per key ({@code cr:{t}:apikey:<id>}) and a set
 * of ids ({@code cr:{t}:apikeys}). Every node reads the same keys, so a key created or
 * revoked on one node holds on all; a node trusts a key it looked up for at most
 * {@code cacheTtl} (under a second), which bounds how long a revocation takes everywhere.
 */
public class ApiKeyStore {

	private final UnifiedJedis jedis;

	private final String prefix;

	private final Duration cacheTtl;

	private final Clock clock;

	private final RedisScript create;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	/**
	 * Create the store.
	 * @param jedis the Redis client
	 * @param keyPrefix the tenant's key prefix, {@code cr:{t}:}
	 * @param cacheTtl how long a looked-up key is trusted without asking Redis again
	 * @param clock the clock for creation, expiry and the cache
	 */
	public ApiKeyStore(UnifiedJedis jedis, String keyPrefix, Duration cacheTtl, Clock clock) {
		this.jedis = jedis;
		this.create = new RedisScript(jedis, "/identity/create-key.lua");
		this.prefix = keyPrefix;
		this.cacheTtl = cacheTtl;
		this.clock = clock;
	}

	/**
	 * Create a key.
	 * @param spec what the key may do
	 * @param createdBy who asks (for the record and the audit line)
	 * @return the stored key and its text, which is shown once and never again
	 */
	public Issued create(KeySpec spec, String createdBy) {
		ApiKeyToken token = ApiKeyToken.generate();
		Instant now = this.clock.instant();
		Instant expires = (spec.validFor() != null) ? now.plus(spec.validFor()) : null;
		ApiKey key = new ApiKey(token.id(), spec.name(), spec.roles(), spec.models(), spec.requestsPerMinute(),
				spec.tokensPerDay(), now, expires, false, ApiKeyToken.hash(token.secret()), createdBy);
		List<String> args = new ArrayList<>();
		args.add(key.id());
		encode(key).forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		this.create.run(List.of(keyOf(key.id()), indexKey()), args);
		return new Issued(key, token.text());
	}

	/**
	 * The key a caller presents, if it is valid now.
	 * @param presented the key text
	 * @return the key, or empty when unknown, wrong, revoked or expired
	 */
	public Optional<ApiKey> authenticate(String presented) {
		Optional<ApiKeyToken> token = ApiKeyToken.parse(presented);
		if (token.isEmpty()) {
			return Optional.empty();
		}
		Optional<ApiKey> key = cached(token.get().id());
		return key.filter((found) -> token.get().matches(found.secretHash()))
			.filter((found) -> found.usableAt(this.clock.instant()));
	}

	/**
	 * Every key of the tenant, newest first.
	 * @return the keys (hashes included: callers show only what they should)
	 */
	public List<ApiKey> list() {
		List<ApiKey> keys = new ArrayList<>();
		for (String id : this.jedis.smembers(indexKey())) {
			load(id).ifPresent(keys::add);
		}
		keys.sort(Comparator.comparing(ApiKey::created).reversed());
		return keys;
	}

	/**
	 * Revoke a key: it stops working on every node within the cache time.
	 * @param id the key id
	 * @return the revoked key, or empty when there is no such key
	 */
	public Optional<ApiKey> revoke(String id) {
		Optional<ApiKey> key = load(id);
		key.ifPresent((found) -> {
			this.jedis.hset(keyOf(id), "revoked", "1");
			this.cache.remove(id);
		});
		return key.map((found) -> new ApiKey(found.id(), found.name(), found.roles(), found.models(),
				found.requestsPerMinute(), found.tokensPerDay(), found.created(), found.expires(), true,
				found.secretHash(), found.createdBy()));
	}

	/**
	 * Give a key a new secret; the old one stops working (on every node within the cache
	 * time).
	 * @param id the key id
	 * @param rotatedBy who asks
	 * @return the key and its new text, or empty when there is no usable key with this id
	 */
	public Optional<Issued> rotate(String id, String rotatedBy) {
		Optional<ApiKey> key = load(id).filter((found) -> found.usableAt(this.clock.instant()));
		if (key.isEmpty()) {
			return Optional.empty();
		}
		String secret = ApiKeyToken.newSecret();
		ApiKey found = key.get();
		ApiKey rotated = new ApiKey(found.id(), found.name(), found.roles(), found.models(), found.requestsPerMinute(),
				found.tokensPerDay(), found.created(), found.expires(), false, ApiKeyToken.hash(secret), rotatedBy);
		this.jedis.hset(keyOf(id), Map.of("hash", rotated.secretHash(), "by", rotatedBy));
		this.cache.remove(id);
		return Optional.of(new Issued(rotated, new ApiKeyToken(id, secret).text()));
	}

	private Optional<ApiKey> cached(String id) {
		long now = this.clock.millis();
		Cached entry = this.cache.get(id);
		if (entry != null && now - entry.loadedAt() < this.cacheTtl.toMillis()) {
			return Optional.of(entry.key());
		}
		Optional<ApiKey> key = load(id);
		if (key.isPresent()) {
			this.cache.put(id, new Cached(key.get(), now));
		}
		else {
			this.cache.remove(id);
		}
		return key;
	}

	private Optional<ApiKey> load(String id) {
		Map<String, String> fields = this.jedis.hgetAll(keyOf(id));
		if (fields == null || !fields.containsKey("hash")) {
			return Optional.empty();
		}
		return Optional.of(decode(id, fields));
	}

	private String keyOf(String id) {
		return this.prefix + "apikey:" + id;
	}

	private String indexKey() {
		return this.prefix + "apikeys";
	}

	private static Map<String, String> encode(ApiKey key) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("name", key.name());
		fields.put("roles", key.roles().stream().map(Role::id).sorted().collect(Collectors.joining(",")));
		fields.put("models", String.join(",", new TreeSet<>(key.models())));
		fields.put("rpm", Long.toString(key.requestsPerMinute()));
		fields.put("tpd", Long.toString(key.tokensPerDay()));
		fields.put("created", Long.toString(key.created().toEpochMilli()));
		fields.put("expires", (key.expires() != null) ? Long.toString(key.expires().toEpochMilli()) : "");
		fields.put("revoked", key.revoked() ? "1" : "0");
		fields.put("hash", key.secretHash());
		fields.put("by", Objects.requireNonNullElse(key.createdBy(), ""));
		return fields;
	}

	private static ApiKey decode(String id, Map<String, String> fields) {
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (String role : split(fields.get("roles"))) {
			Role.fromId(role).ifPresent(roles::add);
		}
		String expires = fields.getOrDefault("expires", "");
		return new ApiKey(id, fields.getOrDefault("name", ""), roles, split(fields.get("models")),
				parseLong(fields.get("rpm")), parseLong(fields.get("tpd")),
				Instant.ofEpochMilli(parseLong(fields.get("created"))),
				expires.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(expires)),
				"1".equals(fields.get("revoked")), fields.get("hash"), fields.get("by"));
	}

	private static Set<String> split(String csv) {
		if (csv == null || csv.isBlank()) {
			return Set.of();
		}
		return Arrays.stream(csv.split(","))
			.map(String::trim)
			.filter((part) -> !part.isEmpty())
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private static long parseLong(String value) {
		return (value == null || value.isEmpty()) ? 0 : Long.parseLong(value);
	}

	/**
	 * A key just created or rotated.
	 *
	 * @param key the stored key
	 * @param text the key to hand over, {@code crk_<id>.<secret>}; not stored anywhere
	 */
	public record Issued(ApiKey key, String text) {

		@Override
		public String toString() {
			return "Issued[" + this.key.id() + "]";
		}

	}

	/**
	 * What a new key may do.
	 *
	 * @param name what it is for
	 * @param roles its roles
	 * @param models models it may use (empty: all)
	 * @param requestsPerMinute its own request limit (0: the tenant's)
	 * @param tokensPerDay its own token budget (0: the tenant's)
	 * @param validFor how long it works, {@code null} for no expiry
	 */
	public record KeySpec(String name, Set<Role> roles, Set<String> models, long requestsPerMinute, long tokensPerDay,
			Duration validFor) {

		public KeySpec {
			Objects.requireNonNull(name, "name");
			roles = Set.copyOf(roles);
			models = Set.copyOf(models);
		}

	}

	private record Cached(ApiKey key, long loadedAt) {
	}

}
