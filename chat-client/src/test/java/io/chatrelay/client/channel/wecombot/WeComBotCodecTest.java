package io.chatrelay.client.channel.wecombot;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.channel.wecomcrypto.WeComVectors;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil.EncryptContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static io.chatrelay.client.channel.wecomcrypto.WeComVectors.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WeComBotCodecTest {

	private static final JsonNode BOT = WeComVectors.vector(WeComVectors.AI_BOT);

	private static final String TOKEN = BOT.get("token").asText();

	private static final String KEY = BOT.get("encoding_aes_key").asText();

	private final ObjectMapper json = new ObjectMapper();

	private final WeComCrypto crypto = WeComVectors.crypto(BOT);

	private final WeComBotCodec codec = new WeComBotCodec(this.crypto, this.json);

	private final WxCryptUtil wx = new WxCryptUtil(TOKEN, KEY, "");

	@Test
	void readsTheComputedInboundVector() throws Exception {
		JsonNode query = BOT.at("/inbound/query");
		byte[] body = this.json.writeValueAsBytes(BOT.at("/inbound/body"));

		WeComBotCallback callback = this.codec.read(query.get("msg_signature").asText(),
				query.get("timestamp").asText(), query.get("nonce").asText(), body);

		assertThat(callback).isEqualTo(new WeComBotCallback("CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=", "AIBOTID", "CHATID",
				"group", "USERID", "text", "@RobotA hello robot", null, "RESPONSEURL"));
		assertThat(callback.isStreamRefresh()).isFalse();
	}

	@Test
	void reproducesTheComputedPassiveReplyByteForByte() throws Exception {
		JsonNode expected = BOT.at("/passive_reply/http_response_body");

		String reply = this.codec.streamReply(ascii(BOT.at("/passive_reply/fixed_random_prefix_ascii").asText()),
				"STREAMID", "hello", false, "nonce123", "1700000001");

		assertThat(this.json.readTree(reply)).isEqualTo(expected);
		assertThat(reply).isEqualTo(this.json.writeValueAsString(expected));
		assertThat(this.json.readTree(reply).get("timestamp").isIntegralNumber()).isTrue();
		assertThat(this.crypto.decrypt(expected.get("encrypt").asText()))
			.isEqualTo(BOT.at("/passive_reply/expected_decrypted").asText());
	}

	@Test
	void wxJavaDecryptsOurStreamReplyAndAcceptsItsSignature() throws Exception {
		String reply = this.codec.streamReply("stream-1", "第一段\n**markdown** \"quoted\"", true, "nonce-9",
				"1700000123");

		JsonNode envelope = this.json.readTree(reply);
		assertThat(envelope.get("nonce").asText()).isEqualTo("nonce-9");
		assertThat(envelope.get("timestamp").asLong()).isEqualTo(1700000123L);
		String plaintext = this.wx.decryptContent(envelope.get("msgsignature").asText(),
				envelope.get("timestamp").asText(), envelope.get("nonce").asText(), envelope.get("encrypt").asText());
		assertThat(this.json.readTree(plaintext))
			.isEqualTo(this.json.readTree("{\"msgtype\":\"stream\",\"stream\":{\"id\":\"stream-1\",\"finish\":true,"
					+ "\"content\":\"第一段\\n**markdown** \\\"quoted\\\"\"}}"));
	}

	@Test
	void readsAMessageEncryptedByWxJava() {
		WeComBotCallback callback = read("{\"msgid\":\"m1\",\"aibotid\":\"B\",\"chattype\":\"single\","
				+ "\"from\":{\"userid\":\"zhangsan\"},\"response_url\":\"https://example.invalid/r\","
				+ "\"msgtype\":\"text\",\"text\":{\"content\":\"你好\"}}");

		assertThat(callback).isEqualTo(new WeComBotCallback("m1", "B", null, "single", "zhangsan", "text", "你好", null,
				"https://example.invalid/r"));
	}

	@Test
	void joinsTheTextItemsOfAMixedMessageAndIgnoresImages() {
		WeComBotCallback callback = read("{\"msgid\":\"m2\",\"msgtype\":\"mixed\",\"from\":{\"userid\":\"u\"},"
				+ "\"mixed\":{\"msg_item\":[{\"msgtype\":\"text\",\"text\":{\"content\":\"@bot part1\"}},"
				+ "{\"msgtype\":\"image\",\"image\":{\"url\":\"https://example.invalid/i.png\"}},"
				+ "{\"msgtype\":\"text\",\"text\":{\"content\":\"part2\"}}]}}");

		assertThat(callback.msgType()).isEqualTo("mixed");
		assertThat(callback.text()).isEqualTo("@bot part1\npart2");
	}

	@Test
	void mixedMessageWithOnlyImagesHasNoText() {
		WeComBotCallback callback = read("{\"msgid\":\"m3\",\"msgtype\":\"mixed\",\"mixed\":{\"msg_item\":["
				+ "{\"msgtype\":\"image\",\"image\":{\"url\":\"https://example.invalid/i.png\"}}]}}");

		assertThat(callback.text()).isNull();
	}

	@Test
	void readsTheTranscriptOfAVoiceMessage() {
		assertThat(read("{\"msgid\":\"m4\",\"msgtype\":\"voice\",\"voice\":{\"content\":\"语音转写\"}}").text())
			.isEqualTo("语音转写");
	}

	@Test
	void streamRefreshCarriesTheStreamIdAndNoText() {
		WeComBotCallback callback = read("{\"msgid\":\"m5\",\"aibotid\":\"B\",\"chattype\":\"single\","
				+ "\"from\":{\"userid\":\"u\"},\"msgtype\":\"stream\",\"stream\":{\"id\":\"STREAMID\"}}");

		assertThat(callback.isStreamRefresh()).isTrue();
		assertThat(callback.streamId()).isEqualTo("STREAMID");
		assertThat(callback.text()).isNull();
	}

	@Test
	void readsWhatAnEventCarries() {
		WeComBotCallback callback = read("{\"msgid\":\"e1\",\"create_time\":1700000000,\"aibotid\":\"B\","
				+ "\"from\":{\"userid\":\"u\"},\"msgtype\":\"event\",\"event\":{\"eventtype\":\"enter_chat\"}}");

		assertThat(callback).isEqualTo(new WeComBotCallback("e1", "B", null, null, "u", "event", null, null, null));
	}

	@Test
	void rejectsCallbackWithForgedSignature() throws Exception {
		JsonNode query = BOT.at("/inbound/query");
		byte[] body = this.json.writeValueAsBytes(BOT.at("/inbound/body"));

		assertRejected(() -> this.codec.read("a765af19d5aaba2b449cfc7b3a1bf5357de6c9ae",
				query.get("timestamp").asText(), query.get("nonce").asText(), body), Reason.SIGNATURE);
		assertRejected(() -> this.codec.read(null, query.get("timestamp").asText(), query.get("nonce").asText(), body),
				Reason.SIGNATURE);
	}

	@Test
	void rejectsBodiesThatAreNotTheEncryptEnvelope() {
		for (String body : new String[] { "", "not json", "[\"encrypt\"]", "{}", "{\"encrypt\":\"\"}",
				"{\"encrypt\":{\"a\":1}}", "{\"Encrypt\":\"abc\"}", "<xml><Encrypt>abc</Encrypt></xml>" }) {
			assertRejected(() -> this.codec.read("s", "1", "n", body.getBytes(StandardCharsets.UTF_8)),
					Reason.MALFORMED);
		}
		assertRejected(() -> this.codec.read("s", "1", "n", null), Reason.MALFORMED);
	}

	@Test
	void rejectsDecryptedMessagesThatAreNotJsonObjectsOrLackAMsgtype() {
		for (String plaintext : new String[] { "not json", "[1]", "\"text\"", "{\"msgid\":\"m\"}",
				"{\"msgtype\":\"stream\",\"stream\":{}}" }) {
			EncryptContext context = this.wx.encryptContext(plaintext);
			byte[] body = ("{\"encrypt\":\"" + context.getEncrypt() + "\"}").getBytes(StandardCharsets.UTF_8);
			assertRejected(
					() -> this.codec.read(context.getSignature(), context.getTimeStamp(), context.getNonce(), body),
					Reason.MALFORMED);
		}
	}

	@Test
	void rejectsAMessageForAnAppAsWrongReceiver() {
		WeComCrypto app = new WeComCrypto(TOKEN, KEY, "wwcorpid");
		String encrypt = app.encrypt("{\"msgtype\":\"text\"}");
		byte[] body = ("{\"encrypt\":\"" + encrypt + "\"}").getBytes(StandardCharsets.UTF_8);

		assertRejected(() -> this.codec.read(app.signature("1", "n", encrypt), "1", "n", body), Reason.WRONG_RECEIVER);
	}

	@Test
	void truncatesCjkStreamContentTo20480BytesWithoutSplittingACharacter() throws Exception {
		String answer = "流式回答".repeat(1750);
		assertThat(answer.getBytes(StandardCharsets.UTF_8)).hasSize(21000);

		String content = streamContent(this.codec.streamReply("s", answer, false, "n", "1700000000"));

		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		assertThat(bytes).hasSize(20478);
		assertThat(answer).startsWith(content);
		assertThat(content).doesNotContain("\uFFFD");
		assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(content);
	}

	@Test
	void truncationNeverSplitsASurrogatePair() throws Exception {
		String answer = "a" + "😀".repeat(5120);

		String content = streamContent(this.codec.streamReply("s", answer, true, "n", "1700000000"));

		assertThat(content).isEqualTo("a" + "😀".repeat(5119));
		assertThat(content.getBytes(StandardCharsets.UTF_8)).hasSize(20477);
	}

	@Test
	void keepsContentOfExactly20480BytesWhole() throws Exception {
		String answer = "x".repeat(20477) + "文";

		assertThat(streamContent(this.codec.streamReply("s", answer, false, "n", "1700000000"))).isEqualTo(answer);
		assertThat(streamContent(this.codec.streamReply("s", answer + "x", false, "n", "1700000000")))
			.isEqualTo(answer);
		assertThat(streamContent(this.codec.streamReply("s", "x" + answer, false, "n", "1700000000")))
			.isEqualTo("x".repeat(20478));
	}

	@Test
	void truncatesOnCodePointBoundaries() {
		assertThat(Utf8.truncate("ab", 5)).isEqualTo("ab");
		assertThat(Utf8.truncate("é文😀", 1)).isEmpty();
		assertThat(Utf8.truncate("é文😀", 2)).isEqualTo("é");
		assertThat(Utf8.truncate("é文😀", 4)).isEqualTo("é");
		assertThat(Utf8.truncate("é文😀", 5)).isEqualTo("é文");
		assertThat(Utf8.truncate("é文😀", 8)).isEqualTo("é文");
		assertThat(Utf8.truncate("é文😀", 9)).isEqualTo("é文😀");
	}

	@Test
	void nullContentIsAnEmptyStream() throws Exception {
		assertThat(streamContent(this.codec.streamReply("s", null, true, "n", "1700000000"))).isEmpty();
	}

	@Test
	void rejectsReplyArgumentsThatWeComWouldNotAccept() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.streamReply("s", "x", false, "n", "17e9"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.streamReply("s", "x", false, "n", "-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.streamReply("s", "x", false, "n", "١٢٣"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.streamReply("s", "x", false, "", "1"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.streamReply("", "x", false, "n", "1"));
	}

	private WeComBotCallback read(String plaintext) {
		EncryptContext context = this.wx.encryptContext(plaintext);
		byte[] body = ("{\"encrypt\":\"" + context.getEncrypt() + "\"}").getBytes(StandardCharsets.UTF_8);
		return this.codec.read(context.getSignature(), context.getTimeStamp(), context.getNonce(), body);
	}

	private String streamContent(String reply) throws Exception {
		JsonNode envelope = this.json.readTree(reply);
		String plaintext = this.wx.decryptContent(envelope.get("msgsignature").asText(),
				envelope.get("timestamp").asText(), envelope.get("nonce").asText(), envelope.get("encrypt").asText());
		return this.json.readTree(plaintext).at("/stream/content").asText();
	}

	private static void assertRejected(ThrowingCallable call, Reason reason) {
		assertThatExceptionOfType(CallbackRejectedException.class).isThrownBy(call)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

}
