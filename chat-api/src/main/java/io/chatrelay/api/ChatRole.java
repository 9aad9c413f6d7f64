package io.chatrelay.api;

/**
 * Who said a {@link ChatMessage}.
 */
public enum ChatRole {

	/** Instructions that frame the whole conversation. */
	SYSTEM,

	/** The human. */
	USER,

	/** The model. */
	ASSISTANT

}
