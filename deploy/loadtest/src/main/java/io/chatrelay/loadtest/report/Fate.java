package io.chatrelay.loadtest.report;

import io.chatrelay.loadtest.measure.Outcome;

/**
 * What became of one message, as exactly one of five kinds, so that a time window's
 * counts add up to what it offered.
 */
enum Fate {

	/** The model's answer came back (a callback's reply, a web chat's response). */
	ANSWERED,

	/**
	 * Refused as busy: the callback or the web chat was answered 503 or 429, the statuses
	 * that ask the platform (or the caller) to deliver again later. The load tool's
	 * platform stand-in does not deliver again, so the message ends there; it is not
	 * lost.
	 */
	REFUSED,

	/**
	 * Acknowledged, and the reply was the client's "busy" apology: its inbox was full, or
	 * the message waited longer than {@code max-age}. The user was told to try again.
	 */
	BUSY_APOLOGY,

	/**
	 * Anything else that went wrong: no response (timeout, connection), another status,
	 * another apology, a stream error.
	 */
	ERROR,

	/** Acknowledged with 200 and never replied to within the grace period. */
	LOST;

	/**
	 * Classify a message.
	 * @param outcome what the load tool saw of it
	 * @return its kind
	 */
	static Fate of(Outcome outcome) {
		int status = outcome.status();
		if (status == 503 || status == 429) {
			return REFUSED;
		}
		if (status != 200) {
			return ERROR;
		}
		if (!outcome.replied()) {
			return LOST;
		}
		if (outcome.busy()) {
			return BUSY_APOLOGY;
		}
		return (outcome.error() == null && outcome.answered()) ? ANSWERED : ERROR;
	}

}
