package io.chatrelay.client.channel.dingtalk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import io.chatrelay.client.redis.RedisScript;
import redis.clients.jedis.UnifiedJedis;

/**
 * Narrows the replay window of a DingTalk signature from the hour of the timestamp check
 * to a few seconds, across every client node. DingTalk's {@code sign} covers only the
 * {@code timestamp} header, not the body, so whoever obtains one signed pair could post
 * any message with it for an hour. Here a pair seen with one {@code msgId} is accepted
 * with another only within {@code window} of its first sight (two messages signed in the
 * same millisecond share a pair); a redelivery of a message it was accepted with always
 * passes (the inbox dedupes it). One Lua script, one round trip
 * ({@code dingtalk/replay.lua}), keyed {@code cr:{<tenant>}:replay:dingtalk:<timestamp>}:
 * with one app secret the timestamp determines the sign, and the signature is verified
 * before this runs. The key lives as long as a pair can pass the timestamp check (twice
 * the ±1 h window).
 */
final class DingTalkReplayGuard implements DingTalkChannel.ReplayCheck {

	/** How long a pair can pass the timestamp check after it is first seen. */
	static final Duration PAIR_LIFETIME = DingTalkSignature.WINDOW.multipliedBy(2);

	private final RedisScript script;

	private final String keyPrefix;

	private final String windowMillis;

	private final String ttlMillis;

	/**
	 * Create the guard of one tenant.
	 * @param redis the tenant's Redis
	 * @param keyPrefix the tenant's key prefix, {@code cr:{<tenant>}:}
	 * @param window how long after a pair's first sight another message may use it
	 */
	DingTalkReplayGuard(UnifiedJedis redis, String keyPrefix, Duration window) {
		this.script = new RedisScript(redis, "/dingtalk/replay.lua");
		this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix") + "replay:dingtalk:";
		if (window.isNegative()) {
			throw new IllegalArgumentException("replay-window must not be negative");
		}
		this.windowMillis = Long.toString(window.toMillis());
		this.ttlMillis = Long.toString(PAIR_LIFETIME.toMillis());
	}

	@Override
	public void check(String timestamp, String msgId) {
		Object accepted = this.script.run(List.of(this.keyPrefix + timestamp),
				List.of(msgId, this.windowMillis, this.ttlMillis));
		if (!Long.valueOf(1).equals(accepted)) {
			throw new CallbackRejectedException(Reason.REPLAYED, "DingTalk signature of timestamp " + timestamp
					+ " reused by message " + msgId + " after the replay window");
		}
	}

}
