package io.chatrelay.loadtest.quota;

/**
 * The limits both implementations enforce in one check; 0 means no limit.
 *
 * @param userPerMinute requests per user per minute
 * @param tenantPerMinute requests per tenant per minute
 * @param userTokensPerDay tokens per user per UTC day
 * @param userTokensPerMonth tokens per user per UTC month
 * @param reserveTokens tokens reserved by each call when tokens are limited (more than
 * {@link #TEMPLATE_TOKENS}: our {@code Quotas} reserves the chat template's tokens plus
 * the answer's cap)
 */
record BenchLimits(long userPerMinute, long tenantPerMinute, long userTokensPerDay, long userTokensPerMonth,
		long reserveTokens) {

	/** What {@code Quotas} adds to every reservation for the chat template. */
	static final long TEMPLATE_TOKENS = 256;

	BenchLimits {
		if (limitsTokens() && reserveTokens <= TEMPLATE_TOKENS) {
			throw new IllegalArgumentException("reserveTokens must exceed " + TEMPLATE_TOKENS);
		}
	}

	/**
	 * Requests only.
	 * @param userPerMinute requests per user per minute
	 * @param tenantPerMinute requests per tenant per minute, 0 for none
	 * @return the limits
	 */
	static BenchLimits requests(long userPerMinute, long tenantPerMinute) {
		return new BenchLimits(userPerMinute, tenantPerMinute, 0, 0, 0);
	}

	/**
	 * Tokens only, per day and per month.
	 * @param perDay tokens per day
	 * @param perMonth tokens per month
	 * @param reserve tokens reserved by each call
	 * @return the limits
	 */
	static BenchLimits tokens(long perDay, long perMonth, long reserve) {
		return new BenchLimits(0, 0, perDay, perMonth, reserve);
	}

	boolean limitsTokens() {
		return this.userTokensPerDay > 0 || this.userTokensPerMonth > 0;
	}

}
