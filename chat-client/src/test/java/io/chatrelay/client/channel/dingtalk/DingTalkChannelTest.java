package io.chatrelay.client.channel.dingtalk;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the DingTalk channel trusts in a callback whose body DingTalk does not sign: a
 * {@code sessionWebhook} only over https on DingTalk's hosts (plain http only on a host
 * allowed for it, as tests need), a message it cannot answer otherwise is refused, and
 * every verified signature goes through the replay check with the message's id.
 */
class DingTalkChannelTest {

	private static final String SECRET = "this is a secret";

	private static final String ROBOT = "dingrobot";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T05:00:00Z"), ZoneOffset.UTC);

	private final List<String> checked = new ArrayList<>();

	private final DingTalkChannel channel = channel(List.of("127.0.0.1"));

	@Test
	void anHttpsWebhookOnADingTalkHostIsUsed() {
		ChannelMessage message = read(body("1", "staff-1", "https://oapi.dingtalk.com/robot/sendBySession?session=s"));

		assertThat(message.replyTo("webhook")).isEqualTo("https://oapi.dingtalk.com/robot/sendBySession?session=s");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://oapi.dingtalk.com/robot/sendBySession?session=s",
			"https://oapi.dingtalk.com.evil.example/robot/sendBySession", "https://127.0.0.1/robot/sendBySession",
			"ftp://oapi.dingtalk.com/x", "not a url" })
	void anyOtherWebhookIsNeverUsedAndTheOpenApiAnswers(String webhook) {
		ChannelMessage message = read(body("1", "staff-1", webhook));

		assertThat(message.replyTo("webhook")).isNull();
		assertThat(message.replyTo(DingTalkChannel.STAFF)).isEqualTo("staff-1");
	}

	@Test
	void plainHttpIsAcceptedOnlyOnAHostAllowedForIt() {
		assertThat(read(body("1", "staff-1", "http://127.0.0.1:8089/robot/sendBySession?session=s")).replyTo("webhook"))
			.isEqualTo("http://127.0.0.1:8089/robot/sendBySession?session=s");
		assertThat(channel(List.of())
			.read(signedNow(), signNow(), body("1", "staff-1", "http://127.0.0.1:8089/robot/sendBySession?session=s"))
			.replyTo("webhook")).isNull();
	}

	@Test
	void aRefusedWebhookWithNoOtherAddressRejectsTheCallback() {
		byte[] external = body("1", "", "http://evil.example/robot/sendBySession");

		assertThatThrownBy(() -> read(external)).isInstanceOfSatisfying(CallbackRejectedException.class,
				(ex) -> assertThat(ex.reason()).isEqualTo(Reason.MALFORMED));
	}

	@Test
	void everyVerifiedMessageGoesThroughTheReplayCheck() {
		read(body("2", "staff-1", "https://oapi.dingtalk.com/robot/sendBySession?session=s"));

		assertThat(this.checked).containsExactly(signedNow() + " msg-1");
	}

	@Test
	void aReplayIsRejected() {
		DingTalkChannel guarded = new DingTalkChannel(properties(List.of()), api(), (timestamp, msgId) -> {
			throw new CallbackRejectedException(Reason.REPLAYED, "replay");
		}, JSON, this.clock);

		assertThatThrownBy(() -> guarded.read(signedNow(), signNow(), body("1", "staff-1", null)))
			.isInstanceOfSatisfying(CallbackRejectedException.class,
					(ex) -> assertThat(ex.reason().status()).isEqualTo(401));
	}

	private ChannelMessage read(byte[] body) {
		return this.channel.read(signedNow(), signNow(), body);
	}

	private String signedNow() {
		return Long.toString(this.clock.millis());
	}

	private String signNow() {
		return new DingTalkSignature(SECRET).sign(this.clock.millis());
	}

	private DingTalkChannel channel(List<String> httpHosts) {
		return new DingTalkChannel(properties(httpHosts), api(),
				(timestamp, msgId) -> this.checked.add(timestamp + " " + msgId), JSON, this.clock);
	}

	private static DingTalkProperties properties(List<String> httpHosts) {
		return new DingTalkProperties("appkey", SECRET, ROBOT, URI.create("https://api.dingtalk.com"),
				Duration.ofHours(2), List.of("oapi.dingtalk.com", "api.dingtalk.com"), 65536, Duration.ofSeconds(5),
				httpHosts);
	}

	private DingTalkApi api() {
		return new DingTalkApi(HttpClient.newHttpClient(), URI.create("https://api.dingtalk.com"), "appkey", SECRET,
				ROBOT, Duration.ofSeconds(5), this.clock);
	}

	private byte[] body(String conversationType, String staffId, String webhook) {
		ObjectNode body = JSON.createObjectNode()
			.put("msgId", "msg-1")
			.put("conversationId", "cid-1")
			.put("conversationType", conversationType)
			.put("senderId", "$:LWCP_v1:$sender")
			.put("senderStaffId", staffId)
			.put("robotCode", ROBOT)
			.put("msgtype", "text")
			.put("sessionWebhookExpiredTime", this.clock.millis() + 60_000);
		if (webhook != null) {
			body.put("sessionWebhook", webhook);
		}
		body.putObject("text").put("content", " hello");
		return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

}
