package io.chatrelay.standalone.standin;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Qianfan v1 OAuth {@code access_token}s a stand-in has issued. A token stays valid
 * until {@link #expireAll()}, after which it is "expired" (error 111) rather than unknown
 * (error 110), so a test can watch a client refresh its cached token.
 */
final class QianfanTokens {

	/** What a presented token is. */
	enum Status {

		VALID, UNKNOWN, EXPIRED

	}

	private final Map<String, Integer> issued = new ConcurrentHashMap<>();

	private final String accessKey;

	private final String secretKey;

	private int generation;

	/**
	 * A token store.
	 * @param accessKey the only accepted {@code client_id}, or {@code null} for any
	 * non-empty one
	 * @param secretKey the only accepted {@code client_secret}, or {@code null} for any
	 * non-empty one
	 */
	QianfanTokens(String accessKey, String secretKey) {
		this.accessKey = accessKey;
		this.secretKey = secretKey;
	}

	boolean accepts(String clientId, String clientSecret) {
		return matches(this.accessKey, clientId) && matches(this.secretKey, clientSecret);
	}

	/**
	 * Issue a new token in Baidu's shape
	 * ({@code 24.<hex>.<expires_in>.<time>.<n>-<app>}).
	 * @return the token
	 */
	synchronized String issue() {
		String token = "24." + UUID.randomUUID().toString().replace("-", "") + ".2592000."
				+ (System.currentTimeMillis() / 1000) + ".282335-" + (this.issued.size() + 1);
		this.issued.put(token, this.generation);
		return token;
	}

	synchronized Status check(String token) {
		Integer generation = (token != null) ? this.issued.get(token) : null;
		if (generation == null) {
			return Status.UNKNOWN;
		}
		return (generation == this.generation) ? Status.VALID : Status.EXPIRED;
	}

	/**
	 * Expire every token issued so far.
	 * @return how many valid tokens became expired
	 */
	synchronized int expireAll() {
		int current = this.generation;
		int expired = (int) this.issued.values().stream().filter((generation) -> generation == current).count();
		this.generation++;
		return expired;
	}

	private static boolean matches(String expected, String given) {
		if (given == null || given.isBlank()) {
			return false;
		}
		return expected == null || expected.equals(given);
	}

}
