package io.chatrelay.client.channel.wecombot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WeComBotChannelTest {

	@Test
	void removesTheBotMentionOfTheDocExampleInAGroup() {
		assertThat(WeComBotChannel.userText(group("@RobotA hello robot"))).isEqualTo("hello robot");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "@RobotA\u2005hello|hello", "@RobotA\u3000你好|你好", "'  @RobotA   hi  '|hi", "@RobotA|''",
					"@RobotA   |''", "hello @RobotA|hello @RobotA", "@RobotA @someone else|@someone else",
					"/reset|/reset", "@RobotA /reset|/reset" })
	void removesOnlyTheLeadingMentionInGroups(String text, String expected) {
		assertThat(WeComBotChannel.userText(group(text))).isEqualTo(expected);
	}

	@Test
	void theMentionMayBeFollowedByANewLine() {
		assertThat(WeComBotChannel.userText(group("@RobotA\nline one\nline two"))).isEqualTo("line one\nline two");
	}

	@Test
	void keepsAnAtSignInAOneToOneChat() {
		assertThat(WeComBotChannel.userText(single("@home what's for dinner"))).isEqualTo("@home what's for dinner");
		assertThat(WeComBotChannel.userText(single("  hello  "))).isEqualTo("hello");
	}

	@Test
	void aMessageWithoutTextHasEmptyText() {
		WeComBotCallback image = new WeComBotCallback("m1", "bot", null, "single", "u1", "image", null, null, null);

		assertThat(WeComBotChannel.userText(image)).isEmpty();
	}

	@Test
	void aGroupIsRecognisedByItsChatIdToo() {
		WeComBotCallback noType = new WeComBotCallback("m1", "bot", "CHAT", null, "u1", "text", "@bot hi", null, null);

		assertThat(WeComBotChannel.userText(noType)).isEqualTo("hi");
	}

	@Test
	void conversationsArePerUserAndPerGroupMember() {
		assertThat(WeComBotChannel.conversationId("AIBOT", null, "zhangsan")).isEqualTo("wecom-bot:AIBOT:zhangsan");
		assertThat(WeComBotChannel.conversationId("AIBOT", "", "zhangsan")).isEqualTo("wecom-bot:AIBOT:zhangsan");
		assertThat(WeComBotChannel.conversationId("AIBOT", "CHAT", "zhangsan"))
			.isEqualTo("wecom-bot:AIBOT:CHAT:zhangsan");
	}

	@Test
	void streamIdsAreTheOnesThisChannelHandsOut() {
		assertThat(WeComBotStreams.isStreamId("Ab0_-xYz")).isTrue();
		assertThat(WeComBotStreams.isStreamId("x".repeat(64))).isTrue();
		assertThat(WeComBotStreams.isStreamId("x".repeat(65))).isFalse();
		assertThat(WeComBotStreams.isStreamId("")).isFalse();
		assertThat(WeComBotStreams.isStreamId(null)).isFalse();
		assertThat(WeComBotStreams.isStreamId("a:b")).isFalse();
		assertThat(WeComBotStreams.isStreamId("a*")).isFalse();
	}

	private static WeComBotCallback group(String text) {
		return new WeComBotCallback("m1", "AIBOT", "CHAT", "group", "u1", "text", text, null, null);
	}

	private static WeComBotCallback single(String text) {
		return new WeComBotCallback("m1", "AIBOT", null, "single", "u1", "text", text, null, null);
	}

}
