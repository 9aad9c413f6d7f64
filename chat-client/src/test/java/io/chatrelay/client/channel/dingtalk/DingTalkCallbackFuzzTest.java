package io.chatrelay.client.channel.dingtalk;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.FuzzCampaign;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a DingTalk robot callback body through {@link DingTalkChannel#read}, correctly
 * signed and fresh so that every input reaches the parser. The body is read as a message
 * the relay can answer, ignored ({@code null}: not text, or no text), or rejected with a
 * {@link CallbackRejectedException} as malformed or for another robot; nothing else may
 * escape. A message read has a conversation and a sender, and its session webhook is kept
 * only on an allowed host.
 */
class DingTalkCallbackFuzzTest {

	private static final String APP_SECRET = "this is a secret";

	private static final String ROBOT_CODE = "dingXXXX";

	private static final long NOW_MILLIS = 1577262236757L;

	private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

	private final DingTalkChannel channel = new DingTalkChannel(new DingTalkProperties("appKey", APP_SECRET, ROBOT_CODE,
			URI.create("http://127.0.0.1:9"), Duration.ofHours(2), List.of("oapi.dingtalk.com", "api.dingtalk.com"),
			65536, Duration.ofSeconds(5), List.of()), null, (timestamp, msgId) -> {
			}, this.json, Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC));

	private final String sign = new DingTalkSignature(APP_SECRET).sign(NOW_MILLIS);

	@FuzzCampaign
	void readsAnswerableMessagesOrRejectsTheBodyAsMalformed(byte[] body) {
		ChannelMessage message;
		try {
			message = this.channel.read(Long.toString(NOW_MILLIS), this.sign, body);
		}
		catch (CallbackRejectedException ex) {
			assertThat(ex.reason()).isIn(EnumSet.of(Reason.MALFORMED, Reason.WRONG_RECEIVER));
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		if (message == null) {
			return;
		}
		assertThat(message.channel()).isEqualTo(DingTalkChannel.NAME);
		assertThat(message.conversationId()).startsWith("dingtalk:");
		assertThat(message.text()).isNotBlank();
		assertThat(message.userId()).isNotBlank();
		String webhook = message.replyTo("webhook");
		if (webhook != null) {
			// Host names are case-insensitive (the channel compares them in lower case).
			assertThat(URI.create(webhook).getHost().toLowerCase(Locale.ROOT)).isIn("oapi.dingtalk.com",
					"api.dingtalk.com");
		}
	}

}
