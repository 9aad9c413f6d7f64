package io.chatrelay.api;

import java.util.Locale;

/**
 * Who said a {@link ChatMessage}. On the wire a role travels as its {@link #wireName()}
 * (a string) so that an older peer can still read a role it does not know yet, and
 * because hessian-lite mis-resolves repeated enum values inside records.
 */
public enum ChatRole {

	/** Instructions that frame the whole conversation. */
	SYSTEM,

	/** The human. */
	USER,

	/** The model. */
	ASSISTANT;

	/**
	 * The lower-case name used on the wire and by every vendor API.
	 * @return {@code system}, {@code user} or {@code assistant}
	 */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parse a wire name.
	 * @param wireName a role name in any case
	 * @return the role
	 * @throws IllegalArgumentException for an unknown role
	 */
	public static ChatRole of(String wireName) {
		return valueOf(wireName.toUpperCase(Locale.ROOT));
	}

}
