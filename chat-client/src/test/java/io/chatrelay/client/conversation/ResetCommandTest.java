package io.chatrelay.client.conversation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ResetCommandTest {

	@ParameterizedTest
	@ValueSource(strings = { "/reset", " /reset ", "清除上下文", "\n清除上下文\n" })
	void recognisesResetCommands(String text) {
		assertThat(ConversationService.isReset(text)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "reset", "/reset please", "please /reset", "清除", "/RESET2" })
	void ordinaryMessagesAreNotResets(String text) {
		assertThat(ConversationService.isReset(text)).isFalse();
	}

}
