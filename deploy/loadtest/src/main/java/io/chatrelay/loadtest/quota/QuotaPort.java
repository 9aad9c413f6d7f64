package io.chatrelay.loadtest.quota;

/**
 * One client node's view of the quotas under comparison: take a request (and a token
 * reservation when tokens are limited) from every limit that applies, then settle the
 * reservation to what the call used. Both implementations get the same
 * {@link BenchLimits}.
 */
interface QuotaPort {

	/**
	 * Take one request, and reserve {@link BenchLimits#reserveTokens()} when tokens are
	 * limited, for a user of the bench tenant.
	 * @param user the user
	 * @return what was taken, or {@code null} when a limit refused it (then nothing stays
	 * taken)
	 */
	Grant acquire(String user);

	/**
	 * Settle a grant's token reservation to the tokens the call used.
	 * @param grant what {@link #acquire} took
	 * @param usedTokens the tokens used, at most the reservation
	 */
	void settle(Grant grant, long usedTokens);

	/**
	 * The tokens a user has left, read from Redis.
	 * @param user the user
	 * @return what is left of the day's and of the month's limit, in that order
	 */
	long[] tokensLeft(String user);

	/**
	 * What one acquire took; its content is the implementation's own.
	 */
	interface Grant {

	}

}
