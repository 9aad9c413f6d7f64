package io.chatrelay.client.quota;

/**
 * The limits of one subject (a user, a tenant or an API key); 0 means no limit.
 *
 * @param requestsPerMinute requests per fixed one-minute window (starting with the
 * window's first request)
 * @param tokensPerDay tokens per UTC day
 * @param tokensPerMonth tokens per UTC calendar month
 */
public record Limits(long requestsPerMinute, long tokensPerDay, long tokensPerMonth) {

	/** No limit at all. */
	public static final Limits NONE = new Limits(0, 0, 0);

	public Limits {
		if (requestsPerMinute < 0 || tokensPerDay < 0 || tokensPerMonth < 0) {
			throw new IllegalArgumentException("limits must not be negative");
		}
	}

	/**
	 * Whether any token limit applies.
	 * @return {@code true} when tokens are counted for this subject
	 */
	public boolean limitsTokens() {
		return this.tokensPerDay > 0 || this.tokensPerMonth > 0;
	}

	/**
	 * Whether any limit applies.
	 * @return {@code false} for {@link #NONE}
	 */
	public boolean any() {
		return this.requestsPerMinute > 0 || limitsTokens();
	}

}
