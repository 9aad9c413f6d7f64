package io.chatrelay.client.intake;

import java.time.Duration;

/**
 * The timestamp window of a signed callback: a callback whose timestamp is further from
 * this node's clock than the window is stale and rejected. Keep the window no longer than
 * the channel's dedupe TTL, so that any replay inside the window is also a duplicate.
 */
public final class Freshness {

	private Freshness() {
	}

	/**
	 * Check a timestamp in seconds (WeCom, Feishu).
	 * @param timestamp the callback's timestamp, decimal seconds
	 * @param nowMillis this node's clock
	 * @param window the accepted distance either way
	 * @throws CallbackRejectedException {@code SIGNATURE} if it is not a number,
	 * {@code STALE} if it is outside the window
	 */
	public static void checkSeconds(String timestamp, long nowMillis, Duration window) {
		long seconds = parse(timestamp);
		if (Math.abs(nowMillis / 1000 - seconds) > window.toSeconds()) {
			throw new CallbackRejectedException(CallbackRejectedException.Reason.STALE,
					"timestamp is " + (nowMillis / 1000 - seconds) + " s from this node's clock, outside ±" + window);
		}
	}

	private static long parse(String timestamp) {
		if (timestamp == null || timestamp.isEmpty() || timestamp.length() > 19
				|| !timestamp.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new CallbackRejectedException(CallbackRejectedException.Reason.SIGNATURE,
					"timestamp missing or not a number");
		}
		return Long.parseLong(timestamp);
	}

}
