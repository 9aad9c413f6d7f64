package io.chatrelay.client.channel.feishu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatrelay.client.channel.feishu.FeishuEvent.Ignored;
import io.chatrelay.client.channel.feishu.FeishuEvent.MessageReceived;
import io.chatrelay.client.channel.feishu.FeishuEvent.UrlVerification;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class FeishuEventsTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String TOKEN = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";

	private static final String KEY = "my encrypt key";

	private static final String URL_VERIFICATION = "{\"challenge\":\"ajls384kdjx98XX\",\"token\":\"" + TOKEN
			+ "\",\"type\":\"url_verification\"}";

	private static ObjectNode receiveV1;

	private final FeishuEvents plain = new FeishuEvents(new FeishuCrypto(""), TOKEN, JSON);

	private final FeishuEvents encrypted = new FeishuEvents(new FeishuCrypto(KEY), TOKEN, JSON);

	@BeforeAll
	static void loadExample() throws IOException {
		try (InputStream in = FeishuEventsTest.class.getResourceAsStream("/vectors/feishu.json")) {
			receiveV1 = (ObjectNode) JSON.readTree(in).path("examples").path("im.message.receive_v1").path("body");
		}
		assertThat(receiveV1.path("schema").asText()).isEqualTo("2.0");
	}

	@Test
	void readsTheDocExampleGroupMessageWithoutTheMentionPlaceholder() throws Exception {
		FeishuEvent event = this.plain.read(JSON.writeValueAsBytes(receiveV1));

		assertThat(event).isEqualTo(new MessageReceived("5e3702a84e847582be8db7fb73283c02", "cli_9f5343c580712544",
				"2ca1d211f64f6438", "om_5ce6d572455d361153b7cb51da133945", "oc_5ce6d572455d361153b7xx51da133945",
				"group", "ou_84aad35d084aa403a838cf73ee18467", "e33ggbyz", "hello", true, 1609073151345L));
		assertThat(((MessageReceived) event).isGroup()).isTrue();
	}

	@Test
	void readsPrivateMessageWithoutMentions() throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		ObjectNode message = (ObjectNode) body.path("event").path("message");
		message.put("chat_type", "p2p").put("content", "{\"text\":\"  What is 2+2?\\n\"}").remove("mentions");
		((ObjectNode) body.path("event").path("sender").path("sender_id")).remove("user_id");

		MessageReceived event = (MessageReceived) this.plain.read(JSON.writeValueAsBytes(body));

		assertThat(event.chatType()).isEqualTo("p2p");
		assertThat(event.isGroup()).isFalse();
		assertThat(event.text()).isEqualTo("What is 2+2?");
		assertThat(event.mentionsSomeone()).isFalse();
		assertThat(event.senderUserId()).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "@_user_1 what does @_user_2 think?|what does think?", "@_user_1|''",
			"ask @_user_12\\n@_user_3 now|ask now", "mail me at a@_user_x.com|mail me at a@_user_x.com" })
	void stripsMentionPlaceholders(String text, String expected) throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("event").path("message")).put("content",
				JSON.writeValueAsString(JSON.createObjectNode().put("text", text.replace("\\n", "\n"))));

		assertThat(((MessageReceived) this.plain.read(JSON.writeValueAsBytes(body))).text()).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "a  @_user_1b @_user_2|ab", "x\t@_user_7 @_user_|x @_user_",
			"@_user_12abc|abc", "@_user_@_user_3|@_user_", "no mention at all|no mention at all" })
	void removesEachPlaceholderWithTheWhitespaceJustBeforeIt(String text, String expected) {
		assertThat(FeishuEvents.withoutMentions(text.replace("\\t", "\t"))).isEqualTo(expected);
	}

	@Test
	void aLongRunOfWhitespaceBeforeAnAlmostMentionTakesLinearTime() throws Exception {
		// "\s*@_user_\d+" retried \s* from every position of such a run: ~10^10 steps.
		String text = "@_user_1 hi" + " \t".repeat(50_000) + "@_user_!";
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("event").path("message")).put("content",
				JSON.writeValueAsString(JSON.createObjectNode().put("text", text)));
		byte[] raw = JSON.writeValueAsBytes(body);

		MessageReceived received = assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> (MessageReceived) this.plain.read(raw));

		assertThat(received.text()).isEqualTo("hi" + " \t".repeat(50_000) + "@_user_!");
	}

	@Test
	void readsEncryptedMessage() throws Exception {
		byte[] body = SpecEncryptor.encryptedBody(KEY, JSON.writeValueAsString(receiveV1))
			.getBytes(StandardCharsets.UTF_8);

		assertThat(this.encrypted.read(body)).isEqualTo(this.plain.read(JSON.writeValueAsBytes(receiveV1)));
	}

	@Test
	void answersPlainUrlVerification() {
		assertThat(this.plain.read(utf8(URL_VERIFICATION))).isEqualTo(new UrlVerification("ajls384kdjx98XX"));
	}

	@Test
	void answersEncryptedUrlVerificationWithThePlainChallenge() throws Exception {
		byte[] body = utf8(SpecEncryptor.encryptedBody(KEY, URL_VERIFICATION));

		assertThat(this.encrypted.read(body)).isEqualTo(new UrlVerification("ajls384kdjx98XX"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"challenge\":\"c\",\"token\":\"wrong\",\"type\":\"url_verification\"}",
			"{\"challenge\":\"c\",\"type\":\"url_verification\"}" })
	void rejectsUrlVerificationWithWrongToken(String body) {
		assertRejected(Reason.SIGNATURE, () -> this.plain.read(utf8(body)));
	}

	@Test
	void rejectsEventWithWrongVerificationToken() throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("header")).put("token", "forged");

		CallbackRejectedException rejected = assertRejected(Reason.SIGNATURE,
				() -> this.plain.read(JSON.writeValueAsBytes(body)));
		assertThat(rejected.getMessage()).doesNotContain(TOKEN).doesNotContain("forged");
	}

	@Test
	void rejectsEventWithoutVerificationToken() throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("header")).remove("token");

		assertRejected(Reason.SIGNATURE, () -> this.plain.read(JSON.writeValueAsBytes(body)));
	}

	@Test
	void skipsTokenCheckWhenNoTokenIsConfigured() throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("header")).put("token", "anything");
		FeishuEvents noToken = new FeishuEvents(new FeishuCrypto(KEY), " ", JSON);

		assertThat(noToken.read(JSON.writeValueAsBytes(body))).isInstanceOf(MessageReceived.class);
		assertThat(noToken.read(utf8("{\"challenge\":\"c\",\"type\":\"url_verification\"}")))
			.isEqualTo(new UrlVerification("c"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "s3cr3t payload", "[]", "\"text\"", "{\"schema\":\"2.0\",", "{\"encrypt\":12}",
			"{\"encrypt\":\"%%%\"}", "{\"type\":\"url_verification\",\"token\":\"" + TOKEN + "\"}" })
	void rejectsMalformedBodies(String body) {
		CallbackRejectedException rejected = assertRejected(Reason.MALFORMED, () -> this.encrypted.read(utf8(body)));
		assertThat(rejected.getMessage()).doesNotContain("s3cr3t").doesNotContain(KEY);
	}

	@Test
	void rejectsEncryptedBodyWhenNoEncryptKeyIsSet() throws Exception {
		assertRejected(Reason.MALFORMED, () -> this.plain.read(utf8(SpecEncryptor.encryptedBody(KEY, "{}"))));
	}

	@Test
	void rejectsEncryptedBodyThatIsNotJsonInside() throws Exception {
		assertRejected(Reason.MALFORMED, () -> this.encrypted.read(utf8(SpecEncryptor.encryptedBody(KEY, "hello"))));
	}

	@Test
	void rejectsEncryptedBodyOfAnotherKey() throws Exception {
		byte[] body = utf8(SpecEncryptor.encryptedBody("another key", URL_VERIFICATION));

		assertRejected(Reason.MALFORMED, () -> this.encrypted.read(body));
	}

	@Test
	void rejectsVersionOneEventWithoutHeader() {
		String v1 = "{\"uuid\":\"u\",\"token\":\"" + TOKEN
				+ "\",\"ts\":\"1\",\"type\":\"event_callback\",\"event\":{}}";

		assertRejected(Reason.MALFORMED, () -> this.plain.read(utf8(v1)));
	}

	@ParameterizedTest
	@CsvSource(nullValues = "NULL", value = { "NULL", "''" })
	void rejectsEventWithoutEventId(String eventId) throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		if (eventId == null) {
			((ObjectNode) body.path("header")).remove("event_id");
		}
		else {
			((ObjectNode) body.path("header")).put("event_id", eventId);
		}

		assertRejected(Reason.MALFORMED, () -> this.plain.read(JSON.writeValueAsBytes(body)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "message_id", "chat_id", "chat_type", "content", "create_time" })
	void rejectsTextMessageWithoutARequiredField(String field) throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("event").path("message")).remove(field);
		if ("create_time".equals(field)) {
			((ObjectNode) body.path("header")).remove(field);
		}

		assertRejected(Reason.MALFORMED, () -> this.plain.read(JSON.writeValueAsBytes(body)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello", "{\"image_key\":\"img\"}", "[\"text\"]" })
	void rejectsTextMessageWhoseContentIsNotTextJson(String content) throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("event").path("message")).put("content", content);

		assertRejected(Reason.MALFORMED, () -> this.plain.read(JSON.writeValueAsBytes(body)));
	}

	@Test
	void usesHeaderCreateTimeWhenTheMessageHasNone() throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("event").path("message")).remove("create_time");

		assertThat(((MessageReceived) this.plain.read(JSON.writeValueAsBytes(body))).createTimeMillis())
			.isEqualTo(1608725989000L);
	}

	@Test
	void ignoresNonTextMessage() throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("event").path("message")).put("message_type", "image")
			.put("content", "{\"image_key\":\"img_v2_041b\"}");

		FeishuEvent event = this.plain.read(JSON.writeValueAsBytes(body));

		assertThat(event).isInstanceOf(Ignored.class);
		Ignored ignored = (Ignored) event;
		assertThat(ignored.eventId()).isEqualTo("5e3702a84e847582be8db7fb73283c02");
		assertThat(ignored.eventType()).isEqualTo("im.message.receive_v1");
		assertThat(ignored.why()).contains("image");
	}

	@Test
	void ignoresOtherEventTypes() throws Exception {
		ObjectNode body = receiveV1.deepCopy();
		((ObjectNode) body.path("header")).put("event_type", "im.chat.member.bot.added_v1");
		body.set("event", JSON.createObjectNode().put("chat_id", "oc_1"));

		assertThat(this.plain.read(JSON.writeValueAsBytes(body))).isEqualTo(new Ignored(
				"5e3702a84e847582be8db7fb73283c02", "im.chat.member.bot.added_v1", "event type not handled"));
	}

	@Test
	void messageToStringLeavesTheTextOut() throws Exception {
		FeishuEvent event = this.plain.read(JSON.writeValueAsBytes(receiveV1));

		assertThat(event.toString()).contains("om_5ce6d572455d361153b7cb51da133945").doesNotContain("hello");
	}

	private static CallbackRejectedException assertRejected(Reason reason, ThrowingCallable call) {
		CallbackRejectedException rejected = catchThrowableOfType(CallbackRejectedException.class, call);
		assertThat(rejected).as("rejection").isNotNull();
		assertThat(rejected.reason()).isEqualTo(reason);
		return rejected;
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
