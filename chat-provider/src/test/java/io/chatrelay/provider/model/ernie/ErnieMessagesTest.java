package io.chatrelay.provider.model.ernie;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.chatrelay.api.ChatMessage.assistant;
import static io.chatrelay.api.ChatMessage.system;
import static io.chatrelay.api.ChatMessage.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ErnieMessagesTest {

	static Stream<Arguments> conversations() {
		return Stream.of(Arguments.of("a single question", List.of(user("q")), List.of(user("q"))),
				Arguments.of("an already valid context", List.of(user("q1"), assistant("a1"), user("q2")),
						List.of(user("q1"), assistant("a1"), user("q2"))),
				Arguments.of("system prompts left out", List.of(system("s1"), user("q"), system("s2")),
						List.of(user("q"))),
				Arguments.of("consecutive user messages merged (a failed turn)",
						List.of(user("q1"), user("q1 again"), assistant("a"), user("q2")),
						List.of(user("q1\nq1 again"), assistant("a"), user("q2"))),
				Arguments.of("consecutive assistant messages merged",
						List.of(user("q1"), assistant("a1"), assistant("a2"), user("q2")),
						List.of(user("q1"), assistant("a1\na2"), user("q2"))),
				Arguments.of("merge across a system message in between", List.of(user("q1"), system("s"), user("q2")),
						List.of(user("q1\nq2"))),
				Arguments.of("leading assistant dropped (window starts with an answer)",
						List.of(assistant("old answer"), user("q")), List.of(user("q"))),
				Arguments.of("several leading assistants dropped",
						List.of(system("s"), assistant("a0"), assistant("a0b"), user("q1"), assistant("a1"),
								user("q2")),
						List.of(user("q1"), assistant("a1"), user("q2"))),
				Arguments.of("trailing assistant dropped so it ends with the user",
						List.of(user("q1"), assistant("a1"), user("q2"), assistant("a2")),
						List.of(user("q1"), assistant("a1"), user("q2"))),
				Arguments.of("blank messages dropped before merging", List.of(user("q1"), assistant("  "), user("q2")),
						List.of(user("q1\nq2"))),
				Arguments.of("only an answer: nothing left", List.of(assistant("a")), List.of()),
				Arguments.of("only system: nothing left", List.of(system("s")), List.of()),
				Arguments.of("empty", List.of(), List.of()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("conversations")
	void normalisesIntoOddAlternatingUserFirstAndLast(String name, List<ChatMessage> input,
			List<ChatMessage> expected) {
		List<ChatMessage> normalised = ErnieMessages.normalise(input);

		assertThat(normalised).isEqualTo(expected);
		assertErnieShape(normalised);
	}

	@Test
	void dropsOldestPairsWhileOverTheCharacterBudget() {
		List<ChatMessage> input = List.of(user("1111"), assistant("2222"), user("3333"), assistant("4444"), user("55"));

		assertThat(ErnieMessages.normalise(input, 18)).isEqualTo(input);
		assertThat(ErnieMessages.normalise(input, 17)).containsExactly(user("3333"), assistant("4444"), user("55"));
		assertThat(ErnieMessages.normalise(input, 10)).containsExactly(user("3333"), assistant("4444"), user("55"));
		assertThat(ErnieMessages.normalise(input, 9)).containsExactly(user("55"));
	}

	@Test
	void keepsTheLastQuestionEvenWhenItAloneExceedsTheBudget() {
		assertThat(ErnieMessages.normalise(List.of(user("old"), assistant("a"), user("x".repeat(50))), 10))
			.containsExactly(user("x".repeat(50)));
	}

	@Test
	void joinsSystemPromptsInOrderAndSkipsBlankOnes() {
		assertThat(ErnieMessages.system(List.of(system("be brief"), user("q"), system(" "), system("be kind"))))
			.isEqualTo("be brief\nbe kind");
		assertThat(ErnieMessages.system(List.of(user("q")))).isNull();
	}

	@Test
	void acceptsRolesInAnyCase() {
		assertThat(ErnieMessages.normalise(List.of(new ChatMessage("USER", "q"), new ChatMessage("System", "s"))))
			.containsExactly(user("q"));
	}

	@Test
	void rejectsUnknownRoles() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ErnieMessages.normalise(List.of(new ChatMessage("tool", "{}"), user("q"))));
	}

	@Test
	void leavesTheInputUntouchedAndReturnsAnUnmodifiableList() {
		List<ChatMessage> input = new ArrayList<>(List.of(user("a"), user("b")));

		List<ChatMessage> normalised = ErnieMessages.normalise(input);

		assertThat(input).containsExactly(user("a"), user("b"));
		assertThat(normalised).isUnmodifiable();
	}

	@Test
	void alwaysProducesTheErnieShapeForRandomConversations() {
		Random random = new Random(42);
		ChatRole[] roles = ChatRole.values();
		for (int run = 0; run < 500; run++) {
			List<ChatMessage> input = new ArrayList<>();
			int size = random.nextInt(12);
			for (int i = 0; i < size; i++) {
				String content = random.nextInt(6) == 0 ? " " : "m" + i;
				input.add(new ChatMessage(roles[random.nextInt(roles.length)], content));
			}
			List<ChatMessage> normalised = ErnieMessages.normalise(input, 1 + random.nextInt(20));

			assertErnieShape(normalised);
			boolean anyUserText = input.stream()
				.anyMatch((m) -> m.roleType() == ChatRole.USER && !m.content().isBlank());
			assertThat(normalised.isEmpty()).isEqualTo(!anyUserText);
		}
	}

	/**
	 * Non-empty lists are odd, user at odd positions (1st, 3rd, …), assistant at even.
	 */
	private static void assertErnieShape(List<ChatMessage> messages) {
		if (messages.isEmpty()) {
			return;
		}
		assertThat(messages.size() % 2).isEqualTo(1);
		for (int i = 0; i < messages.size(); i++) {
			assertThat(messages.get(i).roleType()).isEqualTo((i % 2 == 0) ? ChatRole.USER : ChatRole.ASSISTANT);
			assertThat(messages.get(i).content()).isNotBlank();
		}
	}

}
