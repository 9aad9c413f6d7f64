package io.chatrelay.client.channel.dingtalk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DingTalkMessageTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static ObjectNode example;

	@BeforeAll
	static void loadExample() throws IOException {
		try (InputStream in = DingTalkMessageTest.class.getResourceAsStream("/vectors/dingtalk.json")) {
			example = (ObjectNode) JSON.readTree(in).path("examples").path("http_callback_body_text").path("body");
		}
		assertThat(example.path("msgId").asText()).isNotEmpty();
	}

	@Test
	void readsGroupTextMessageThatMentionsTheRobot() throws Exception {
		DingTalkMessage message = DingTalkMessage.parse(JSON.writeValueAsBytes(example), JSON);

		assertThat(message).isEqualTo(new DingTalkMessage("msgXXXX", "cidXXXX", "2", "$:LWCP_v1:$XXXX", "manager1234",
				"张三", "$:LWCP_v1:$XXXX", "dingXXXX", "text", "你好",
				"https://oapi.dingtalk.com/robot/sendBySession?session=XXXX", 1700005400000L, 1700000000000L, true));
		assertThat(message.isGroup()).isTrue();
		assertThat(message.isText()).isTrue();
		assertThat(message.inAtList()).isTrue();
		assertThat(message.senderKey()).isEqualTo("manager1234");
	}

	@Test
	void readsSingleChatMessageFromAnExternalUser() throws Exception {
		ObjectNode body = example.deepCopy();
		body.put("conversationType", "1").put("senderStaffId", "").put("senderId", "$:LWCP_v1:$external");
		body.remove(List.of("isInAtList", "atUsers", "conversationTitle"));

		DingTalkMessage message = DingTalkMessage.parse(JSON.writeValueAsBytes(body), JSON);

		assertThat(message.isGroup()).isFalse();
		assertThat(message.inAtList()).isFalse();
		assertThat(message.senderKey()).isEqualTo("$:LWCP_v1:$external");
	}

	@Test
	void senderKeyFallsBackToSenderIdWhenStaffIdIsAbsent() throws Exception {
		ObjectNode body = example.deepCopy();
		body.remove("senderStaffId");

		assertThat(DingTalkMessage.parse(JSON.writeValueAsBytes(body), JSON).senderKey()).isEqualTo("$:LWCP_v1:$XXXX");
	}

	@Test
	void readsMediaMessageWithoutText() throws Exception {
		ObjectNode body = example.deepCopy();
		body.put("msgtype", "picture").remove("text");
		body.putObject("content").put("downloadCode", "dl");

		DingTalkMessage message = DingTalkMessage.parse(JSON.writeValueAsBytes(body), JSON);

		assertThat(message.isText()).isFalse();
		assertThat(message.msgType()).isEqualTo("picture");
		assertThat(message.text()).isNull();
	}

	@Test
	void stripsWhitespaceAroundText() throws Exception {
		ObjectNode body = example.deepCopy();
		body.putObject("text").put("content", "\u3000 line one\nline two \n");

		assertThat(DingTalkMessage.parse(JSON.writeValueAsBytes(body), JSON).text()).isEqualTo("line one\nline two");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "s3cr3t payload", "[]", "{\"msgId\":", "{\"msgtype\":\"text\"}",
			"{\"msgId\":\"\",\"msgtype\":\"text\"}", "{\"msgId\":{},\"msgtype\":\"text\"}",
			"{\"msgId\":\"m\",\"msgtype\":\"text\"}", "{\"msgId\":\"m\",\"msgtype\":\"text\",\"text\":{}}" })
	void rejectsMalformedBodies(String body) {
		CallbackRejectedException rejected = catchThrowableOfType(CallbackRejectedException.class,
				() -> DingTalkMessage.parse(body.getBytes(StandardCharsets.UTF_8), JSON));

		assertThat(rejected).as("rejection").isNotNull();
		assertThat(rejected.reason()).isEqualTo(Reason.MALFORMED);
		assertThat(rejected.getMessage()).doesNotContain("s3cr3t");
	}

	@ParameterizedTest
	@ValueSource(strings = { "senderId,senderStaffId", "conversationId" })
	void rejectsTextMessageWithoutTheIdsOfItsConversation(String fields) throws Exception {
		ObjectNode body = example.deepCopy();
		for (String field : fields.split(",")) {
			body.put(field, " ");
		}

		CallbackRejectedException rejected = catchThrowableOfType(CallbackRejectedException.class,
				() -> DingTalkMessage.parse(JSON.writeValueAsBytes(body), JSON));

		assertThat(rejected).as("rejection").isNotNull();
		assertThat(rejected.reason()).isEqualTo(Reason.MALFORMED);
		body.remove(List.of(fields.split(",")));
		assertThat(catchThrowableOfType(CallbackRejectedException.class,
				() -> DingTalkMessage.parse(JSON.writeValueAsBytes(body), JSON)))
			.as("rejection without the fields")
			.isNotNull();
	}

	@Test
	void readsSingleChatTextWithoutConversationId() throws Exception {
		ObjectNode body = example.deepCopy();
		body.put("conversationType", "1").remove("conversationId");

		assertThat(DingTalkMessage.parse(JSON.writeValueAsBytes(body), JSON).senderKey()).isEqualTo("manager1234");
	}

	@Test
	void toStringLeavesTheSessionWebhookAndTextOut() throws Exception {
		String text = DingTalkMessage.parse(JSON.writeValueAsBytes(example), JSON).toString();

		assertThat(text).contains("msgXXXX").doesNotContain("session=XXXX").doesNotContain("你好");
	}

}
