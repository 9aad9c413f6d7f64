package io.chatrelay.standalone.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-ins' deterministic answer, which shows that the conversation context arrived:
 * {@code You said: <last user message> (turn <number of user messages>)}.
 *
 * @param text the whole reply
 * @param tokens the reply cut into words, each with its trailing whitespace; joined they
 * give {@code text}
 * @param promptTokens a rough prompt size: the number of words in all messages
 */
record EchoReply(String text, List<String> tokens, int promptTokens) {

	private static final Pattern TOKEN = Pattern.compile("\\S+\\s*|\\s+");

	private static final Pattern WORD = Pattern.compile("\\S+");

	EchoReply {
		tokens = List.copyOf(tokens);
	}

	static EchoReply to(List<ChatTurn> turns) {
		long userTurns = turns.stream().filter(ChatTurn::fromUser).count();
		String lastUserMessage = turns.stream()
			.filter(ChatTurn::fromUser)
			.reduce((first, second) -> second)
			.map(ChatTurn::content)
			.orElse("");
		String text = "You said: " + lastUserMessage + " (turn " + userTurns + ")";
		int promptTokens = turns.stream().mapToInt((turn) -> countWords(turn.content())).sum();
		return new EchoReply(text, tokenize(text), promptTokens);
	}

	int completionTokens() {
		return this.tokens.size();
	}

	static List<String> tokenize(String text) {
		List<String> tokens = new ArrayList<>();
		Matcher matcher = TOKEN.matcher(text);
		while (matcher.find()) {
			tokens.add(matcher.group());
		}
		return tokens;
	}

	private static int countWords(String text) {
		int count = 0;
		Matcher matcher = WORD.matcher(text);
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
