package io.chatrelay.client.conversation;

import java.util.List;
import java.util.stream.IntStream;

import io.chatrelay.api.ChatMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ContextWindowTest {

	@Test
	void newConversationSendsOnlyTheQuestion() {
		assertThat(new ContextWindow("", 20).messages(List.of(), "hi")).containsExactly(ChatMessage.user("hi"));
	}

	@Test
	void systemPromptComesFirstThenTurnsInOrderThenTheQuestion() {
		List<ChatMessage> messages = new ContextWindow("  Be brief.  ", 20)
			.messages(List.of(new Turn("q1", "a1"), new Turn("q2", "a2")), "q3");

		assertThat(messages).containsExactly(ChatMessage.system("Be brief."), ChatMessage.user("q1"),
				ChatMessage.assistant("a1"), ChatMessage.user("q2"), ChatMessage.assistant("a2"),
				ChatMessage.user("q3"));
	}

	@Test
	void keepsOnlyTheLastMaxTurns() {
		List<Turn> history = IntStream.rangeClosed(1, 30).mapToObj((i) -> new Turn("q" + i, "a" + i)).toList();

		List<ChatMessage> messages = new ContextWindow(null, 3).messages(history, "now");

		assertThat(messages).extracting(ChatMessage::content)
			.containsExactly("q28", "a28", "q29", "a29", "q30", "a30", "now");
	}

	@Test
	void windowAlwaysAlternatesStartingAndEndingWithTheUser() {
		List<Turn> history = IntStream.range(0, 7).mapToObj((i) -> new Turn("q" + i, "a" + i)).toList();

		List<ChatMessage> messages = new ContextWindow("", 4).messages(history, "last");

		assertThat(messages).hasSize(9);
		for (int i = 0; i < messages.size(); i++) {
			assertThat(messages.get(i).role()).isEqualTo((i % 2 == 0) ? "user" : "assistant");
		}
	}

	@Test
	void zeroTurnsMeansNoContext() {
		assertThat(new ContextWindow("", 0).messages(List.of(new Turn("q", "a")), "x"))
			.containsExactly(ChatMessage.user("x"));
	}

	@Test
	void rejectsNegativeWindow() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ContextWindow("", -1));
	}

}
