package io.chatrelay.loadtest.traffic;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DingTalkCallbacksTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void signsLikeTheProtocolVector() throws IOException {
		JsonNode vector = vector("dingtalk-http-callback-sign");
		DingTalkCallbacks callbacks = new DingTalkCallbacks(vector.path("app_secret").asText());

		String sign = callbacks.sign(vector.path("headers").path("timestamp").asLong());

		assertThat(sign).isEqualTo(vector.path("expected_sign").asText());
		assertThat(callbacks.sign(vector.path("headers").path("timestamp").asLong())).isEqualTo(sign);
		assertThat(callbacks.sign(1577262236758L)).isNotEqualTo(sign);
	}

	@Test
	void buildsATextMessageTheClientReads() throws IOException {
		String body = DingTalkCallbacks.textMessage("msg-1", "lt-u1", "question LTIDa-1.",
				"http://127.0.0.1:1/robot/sendBySession?session=a-1", 1_700_000_000_000L);

		JsonNode message = JSON.readTree(body);
		assertThat(message.path("msgId").asText()).isEqualTo("msg-1");
		assertThat(message.path("msgtype").asText()).isEqualTo("text");
		assertThat(message.path("text").path("content").asText().strip()).isEqualTo("question LTIDa-1.");
		assertThat(message.path("senderStaffId").asText()).isEqualTo("lt-u1");
		assertThat(message.path("conversationType").asText()).isEqualTo("1");
		assertThat(message.path("robotCode").asText()).isEqualTo(DingTalkCallbacks.ROBOT_CODE);
		assertThat(message.path("sessionWebhookExpiredTime").asLong()).isGreaterThan(1_700_000_000_000L);
	}

	private static JsonNode vector(String id) throws IOException {
		return Vectors.vector("dingtalk.json", id);
	}

}
