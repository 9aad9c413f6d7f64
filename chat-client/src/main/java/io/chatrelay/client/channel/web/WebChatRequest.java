package io.chatrelay.client.channel.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/chat} and {@code /api/v1/chat/stream}.
 *
 * @param conversationId chosen by the web page; scoped to the user
 * @param userId the web user, read only in the explicit anonymous mode (otherwise the
 * credential names the user)
 * @param message what the user wrote
 */
record WebChatRequest(String conversationId, String userId, String message) {

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

	private static final String ID_RULE = "must be 1 to 128 characters: letters, digits and . _ : @ - "
			+ "(starting with a letter or digit)";

	/**
	 * Everything wrong with this request, empty when it is valid.
	 * @param maxMessageChars the longest accepted message
	 * @param userIdFromBody whether the body names the user (anonymous mode); otherwise
	 * the credential does and {@code userId} is ignored
	 * @return one sentence per problem
	 */
	List<String> problems(int maxMessageChars, boolean userIdFromBody) {
		List<String> problems = new ArrayList<>();
		checkId("conversationId", this.conversationId, problems);
		if (userIdFromBody) {
			checkId("userId", this.userId, problems);
		}
		if (this.message == null) {
			problems.add("message is required");
		}
		else if (this.message.isBlank()) {
			problems.add("message must not be empty");
		}
		else if (this.message.length() > maxMessageChars) {
			problems.add("message must be at most " + maxMessageChars + " characters");
		}
		return problems;
	}

	private static void checkId(String name, String value, List<String> problems) {
		if (value == null) {
			problems.add(name + " is required");
		}
		else if (!ID.matcher(value).matches()) {
			problems.add(name + " " + ID_RULE);
		}
	}

}
