package io.chatrelay.provider.model.compat;

/**
 * How an OpenAI-compatible vendor's calls authenticate: a Bearer token per request. A
 * vendor without usable credentials stays known (routing may name it) and fails every
 * call with {@code UNAUTHORIZED} without sending anything; the router passes over it.
 */
public interface CompatCredentials {

	/**
	 * Why calls cannot authenticate.
	 * @return a reason safe to show and log (never the key), or {@code null} when they
	 * can
	 */
	String problem();

	/**
	 * The Bearer token for one request, asked only when {@link #problem()} is
	 * {@code null}.
	 * @return the token
	 * @throws io.chatrelay.api.ChatException {@code UNAUTHORIZED} when no token can be
	 * made (e.g. signing failed)
	 */
	String bearerToken();

	/**
	 * A static API key sent as it is (OpenAI, and most compatible vendors).
	 * @param apiKey the key, blank when not configured
	 * @param missing the reason to report without a key, e.g.
	 * {@code "OpenAI API key is not configured"}
	 * @return the credentials
	 */
	static CompatCredentials apiKey(String apiKey, String missing) {
		String problem = (apiKey == null || apiKey.isBlank()) ? missing : null;
		return new CompatCredentials() {

			@Override
			public String problem() {
				return problem;
			}

			@Override
			public String bearerToken() {
				return apiKey;
			}

		};
	}

}
