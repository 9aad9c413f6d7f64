package io.chatrelay.standalone.standin;

import java.util.Objects;

/**
 * One message of a chat request as a stand-in sees it, whatever the vendor format.
 *
 * @param role {@code system}, {@code developer}, {@code user}, {@code assistant}, ...
 * @param content the text
 */
record ChatTurn(String role, String content) {

	ChatTurn {
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(content, "content");
	}

	boolean fromUser() {
		return "user".equals(this.role);
	}

}
