package io.chatrelay.loadtest;

import java.util.Locale;

/**
 * The {@code --security} switch (issue 13: what authentication, mutual TLS, limits and
 * the filter cost): the system the tool starts with those controls as in production, or
 * without them, so that a comparison is one option apart. {@link SystemUnderTest} turns
 * it into node settings and config-center documents.
 */
enum Security {

	/**
	 * Production-like: mutual TLS between client and provider (a throwaway CA), web chats
	 * authenticated with a tenant API key, quotas published and evaluated on every
	 * message but never reached, and the provider's sensitive-word filter with
	 * {@value SecurityDocuments#WORDS} words that never match the traffic.
	 */
	ON("on: mutual TLS client-provider, web chats with a tenant API key, quotas evaluated (never reached), "
			+ "word filter with " + SecurityDocuments.WORDS + " words (never matching)"),

	/**
	 * The baseline: plaintext Triple, anonymous web chats (the body names the user),
	 * quotas switched off ({@code chat.client.quota.enabled=false}) and the filter off
	 * ({@code chat.provider.filter.enabled=false}). The provider's caller gate still
	 * runs: without TLS it checks HTTP/2 and the tenant policy, not a certificate.
	 */
	OFF("off: plaintext Triple, anonymous web chats, quotas switched off, word filter off");

	private final String summary;

	Security(String summary) {
		this.summary = summary;
	}

	/**
	 * Read the option.
	 * @param text {@code on} or {@code off}, in any case
	 * @return the mode
	 * @throws IllegalArgumentException for anything else
	 */
	static Security of(String text) {
		return switch (text.strip().toLowerCase(Locale.ROOT)) {
			case "on" -> ON;
			case "off" -> OFF;
			default -> throw new IllegalArgumentException("--security must be on or off, not '" + text + "'");
		};
	}

	/**
	 * One line for the reports: the mode and what it means.
	 * @return e.g. {@code off: plaintext Triple, ...}
	 */
	String summary() {
		return this.summary;
	}

}
