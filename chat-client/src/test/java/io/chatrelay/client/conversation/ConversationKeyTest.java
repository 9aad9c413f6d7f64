package io.chatrelay.client.conversation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationKeyTest {

	@Test
	void partsThatConcatenateAlikeGiveDifferentIds() {
		assertThat(ConversationKey.of("web", "a:b", "c")).isNotEqualTo(ConversationKey.of("web", "a", "b:c"));
		assertThat(ConversationKey.of("wecom", "1000002", "chat", "user"))
			.isNotEqualTo(ConversationKey.of("wecom", "1000002", "chat:user"));
		assertThat(ConversationKey.of("web", "a%3Ab", "c")).isNotEqualTo(ConversationKey.of("web", "a:b", "c"));
	}

	@Test
	void partsWithoutColonOrPercentKeepTheirFormerId() {
		assertThat(ConversationKey.of("web", "u1", "c1")).isEqualTo("web:u1:c1");
		assertThat(ConversationKey.of("dingtalk", "cidAbc+/==", "staff.1@x"))
			.isEqualTo("dingtalk:cidAbc+/==:staff.1@x");
	}

	@Test
	void encodesColonAndPercentInsideAPart() {
		assertThat(ConversationKey.of("web", "a:b", "50%")).isEqualTo("web:a%3Ab:50%25");
	}

}
