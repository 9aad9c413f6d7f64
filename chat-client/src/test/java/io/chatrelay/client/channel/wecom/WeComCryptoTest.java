package io.chatrelay.client.channel.wecom;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.channel.wecomcrypto.WeComVectors;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil.EncryptContext;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.chatrelay.client.channel.wecomcrypto.WeComVectors.ascii;
import static io.chatrelay.client.channel.wecomcrypto.WeComVectors.crypto;
import static io.chatrelay.client.channel.wecomcrypto.WeComVectors.rawDecrypt;
import static io.chatrelay.client.channel.wecomcrypto.WeComVectors.rawEncrypt;
import static io.chatrelay.client.channel.wecomcrypto.WeComVectors.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WeComCryptoTest {

	private static final JsonNode URL = vector(WeComVectors.VERIFY_URL);

	private static final JsonNode POST = vector(WeComVectors.POST_XML);

	private static final JsonNode BOT = vector(WeComVectors.AI_BOT);

	private static final String TOKEN = POST.get("token").asText();

	private static final String KEY = POST.get("encoding_aes_key").asText();

	private static final String CORP_ID = POST.get("receiveid").asText();

	private final WeComCrypto crypto = crypto(POST);

	@Test
	void officialVerifyUrlVectorSignsAndDecryptsToTheExpectedPlaintext() {
		JsonNode query = URL.at("/request/query");
		String echostr = query.get("echostr").asText();

		assertThat(this.crypto.signature(query.get("timestamp").asText(), query.get("nonce").asText(), echostr))
			.isEqualTo(URL.at("/expected/msg_signature").asText());
		assertThat(this.crypto.verifyUrl(query.get("msg_signature").asText(), query.get("timestamp").asText(),
				query.get("nonce").asText(), echostr))
			.isEqualTo(URL.at("/expected/http_response_body").asText())
			.isEqualTo("1616140317555161061");
	}

	@Test
	void verifyUrlTakesEchostrDecodedOnceAsTheServletContainerHandsItOver() {
		JsonNode query = URL.at("/request/query");
		String wire = URL.at("/request/echostr_urlencoded_as_on_the_wire").asText();
		String decodedOnce = URLDecoder.decode(wire, StandardCharsets.UTF_8);
		String decodedTwice = URLDecoder.decode(decodedOnce, StandardCharsets.UTF_8);
		String sig = query.get("msg_signature").asText();
		String ts = query.get("timestamp").asText();
		String nonce = query.get("nonce").asText();

		assertThat(decodedOnce).isEqualTo(query.get("echostr").asText());
		assertThat(this.crypto.verifyUrl(sig, ts, nonce, decodedOnce)).isEqualTo("1616140317555161061");
		assertRejected(() -> this.crypto.verifyUrl(sig, ts, nonce, wire), Reason.SIGNATURE);
		assertThat(decodedTwice).contains(" ");
		assertRejected(() -> this.crypto.verifyUrl(sig, ts, nonce, decodedTwice), Reason.SIGNATURE);
	}

	@Test
	void officialPostVectorSignsDecryptsAndIsPaddedTo32ByteBlocks() throws Exception {
		String encrypt = WeComXml.encryptField(POST.at("/request/body").asText().getBytes(StandardCharsets.UTF_8));
		JsonNode query = POST.at("/request/query");

		assertThat(this.crypto.signature(query.get("timestamp").asText(), query.get("nonce").asText(), encrypt))
			.isEqualTo(POST.at("/expected/msg_signature").asText());
		this.crypto.verify(query.get("msg_signature").asText(), query.get("timestamp").asText(),
				query.get("nonce").asText(), encrypt);
		String xml = this.crypto.decrypt(encrypt);
		assertThat(xml).isEqualTo(POST.at("/expected/decrypted_msg").asText());
		assertThat(xml.getBytes(StandardCharsets.UTF_8)).hasSize(284);

		byte[] padded = rawDecrypt(KEY, encrypt);
		assertThat(padded).hasSize(352);
		assertThat(padded[padded.length - 1]).isEqualTo((byte) 30);
		// The trap: JCE's 16-byte PKCS#7 rejects WeCom's pad of 30.
		byte[] key = Base64.getDecoder().decode(KEY + "=");
		Cipher pkcs5 = Cipher.getInstance("AES/CBC/PKCS5Padding");
		pkcs5.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
		assertThatExceptionOfType(BadPaddingException.class)
			.isThrownBy(() -> pkcs5.doFinal(Base64.getDecoder().decode(encrypt)));

		WeComMessage message = WeComXml.message(xml);
		assertThat(message.fromUserName()).isEqualTo("mycreate");
		assertThat(message.content()).isEqualTo("hello");
	}

	@Test
	void encryptWithTheOfficialRandomPrefixesReproducesTheOfficialCiphertexts() {
		HexFormat hex = HexFormat.of();
		String postEncrypt = WeComXml.encryptField(POST.at("/request/body").asText().getBytes(StandardCharsets.UTF_8));

		assertThat(this.crypto.encrypt(hex.parseHex(POST.at("/derived/random_prefix_hex").asText()),
				POST.at("/expected/decrypted_msg").asText()))
			.isEqualTo(postEncrypt);
		assertThat(this.crypto.encrypt(hex.parseHex(URL.at("/derived/random_prefix_hex").asText()),
				URL.at("/expected/decrypted_msg").asText()))
			.isEqualTo(URL.at("/request/query/echostr").asText());
	}

	@Test
	void computedAiBotVectorUsesAnEmptyReceiveId() {
		WeComCrypto bot = crypto(BOT);
		JsonNode query = BOT.at("/inbound/query");
		String encrypt = BOT.at("/inbound/body/encrypt").asText();

		assertThat(bot.signature(query.get("timestamp").asText(), query.get("nonce").asText(), encrypt))
			.isEqualTo(query.get("msg_signature").asText());
		assertThat(bot.decrypt(encrypt)).isEqualTo(BOT.at("/inbound/expected_decrypted").asText());
		assertThat(bot.encrypt(ascii(BOT.at("/inbound/fixed_random_prefix_ascii").asText()),
				BOT.at("/inbound/expected_decrypted").asText()))
			.isEqualTo(encrypt);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 11, 12, 13, 25, 26, 27, 57, 58, 59, 284, 2048 })
	void roundTripsEveryLengthIncludingAFullBlockOfPadding(int length) {
		String plaintext = "x".repeat(length);
		String encrypt = this.crypto.encrypt(plaintext);

		assertThat(this.crypto.decrypt(encrypt)).isEqualTo(plaintext);
		byte[] padded = rawDecrypt(KEY, encrypt);
		int unpadded = 16 + 4 + length + CORP_ID.length();
		int pad = 32 - unpadded % 32;
		assertThat(padded).hasSize(unpadded + pad);
		assertThat(padded.length % 32).isZero();
		assertThat(padded[padded.length - 1]).isEqualTo((byte) pad);
	}

	@Test
	void lengthsThatFillTheLastBlockGetAPadOf32() {
		// 16 random + 4 length + 26 message + 18 CorpID = 64 bytes, so a whole block of
		// 32.
		String encrypt = this.crypto.encrypt("x".repeat(26));

		byte[] padded = rawDecrypt(KEY, encrypt);
		assertThat(padded).hasSize(96);
		assertThat(Arrays.copyOfRange(padded, 64, 96)).containsOnly((byte) 32);
		assertThat(this.crypto.decrypt(encrypt)).isEqualTo("x".repeat(26));
	}

	@Test
	void roundTripsMultiByteTextWithItsByteLength() {
		String plaintext = "你好，世界 🌍 ünïcödé <xml>&amp;</xml>";
		String encrypt = this.crypto.encrypt(plaintext);

		assertThat(this.crypto.decrypt(encrypt)).isEqualTo(plaintext);
		assertThat(ByteBuffer.wrap(rawDecrypt(KEY, encrypt), 16, 4).getInt())
			.isEqualTo(plaintext.getBytes(StandardCharsets.UTF_8).length);
	}

	@Test
	void freshRandomPrefixMakesEveryCiphertextDifferent() {
		assertThat(this.crypto.encrypt("hello")).isNotEqualTo(this.crypto.encrypt("hello"));
	}

	@Test
	void rejectsMessageForAnotherReceiveIdAsWrongReceiver() {
		String encrypt = new WeComCrypto(TOKEN, KEY, "ww-another-corp").encrypt("hello");

		assertRejected(() -> this.crypto.decrypt(encrypt), Reason.WRONG_RECEIVER);
		assertRejected(() -> new WeComCrypto(TOKEN, KEY, "").decrypt(encrypt), Reason.WRONG_RECEIVER);
		assertRejected(() -> new WeComCrypto(TOKEN, KEY, "").decrypt(URL.at("/request/query/echostr").asText()),
				Reason.WRONG_RECEIVER);
	}

	@Test
	void rejectsCallbackWithForgedSignature() {
		JsonNode query = URL.at("/request/query");
		String ts = query.get("timestamp").asText();
		String nonce = query.get("nonce").asText();
		String echostr = query.get("echostr").asText();
		String forged = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4";

		assertRejected(() -> this.crypto.verify(forged, ts, nonce, echostr), Reason.SIGNATURE);
		assertRejected(() -> this.crypto.verifyUrl(forged, ts, nonce, echostr), Reason.SIGNATURE);
		assertRejected(() -> this.crypto.verify(query.get("msg_signature").asText(), "1409659590", nonce, echostr),
				Reason.SIGNATURE);
		assertRejected(() -> new WeComCrypto("another", KEY, CORP_ID).verify(query.get("msg_signature").asText(), ts,
				nonce, echostr), Reason.SIGNATURE);
	}

	@Test
	void rejectsCallbackWithMissingSignatureParts() {
		assertRejected(() -> this.crypto.verify(null, "1", "n", "e"), Reason.SIGNATURE);
		assertRejected(() -> this.crypto.verify("", "1", "n", "e"), Reason.SIGNATURE);
		assertRejected(() -> this.crypto.verify("abc", null, "n", "e"), Reason.SIGNATURE);
		assertRejected(() -> this.crypto.verify("abc", "1", null, "e"), Reason.SIGNATURE);
		assertRejected(() -> this.crypto.verify("abc", "1", "n", null), Reason.SIGNATURE);
	}

	@Test
	void rejectsCiphertextThatIsNotBase64OrNotWholeBlocks() {
		assertRejected(() -> this.crypto.decrypt(null), Reason.MALFORMED);
		assertRejected(() -> this.crypto.decrypt(""), Reason.MALFORMED);
		assertRejected(() -> this.crypto.decrypt("not base64!"), Reason.MALFORMED);
		assertRejected(() -> this.crypto.decrypt(Base64.getEncoder().encodeToString(new byte[40])), Reason.MALFORMED);
		assertRejected(() -> this.crypto.decrypt(Base64.getEncoder().encodeToString(new byte[16])), Reason.MALFORMED);
	}

	@Test
	void rejectsCorruptedCiphertextAsMalformed() {
		// Flipping a bit of the previous block flips the same bit of the pad byte (7 ->
		// 6).
		byte[] cipher = Base64.getDecoder().decode(URL.at("/request/query/echostr").asText());
		cipher[cipher.length - 17] ^= 0x01;

		assertRejected(() -> this.crypto.decrypt(Base64.getEncoder().encodeToString(cipher)), Reason.MALFORMED);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 33, 255 })
	void rejectsPadValuesOutsideOneTo32(int pad) {
		byte[] plain = layout("hello".getBytes(StandardCharsets.UTF_8), ascii(CORP_ID), 64);
		plain[63] = (byte) pad;

		assertRejected(() -> this.crypto.decrypt(rawEncrypt(KEY, plain)), Reason.MALFORMED);
	}

	@Test
	void rejectsInconsistentPadding() {
		byte[] plain = layout("hello".getBytes(StandardCharsets.UTF_8), ascii(CORP_ID), 64);
		plain[60] = 0x07;

		assertRejected(() -> this.crypto.decrypt(rawEncrypt(KEY, plain)), Reason.MALFORMED);
	}

	@Test
	void rejectsLengthFieldBeyondThePlaintext() {
		byte[] plain = layout("hello".getBytes(StandardCharsets.UTF_8), ascii(CORP_ID), 64);
		ByteBuffer.wrap(plain).putInt(16, 1000);
		assertRejected(() -> this.crypto.decrypt(rawEncrypt(KEY, plain)), Reason.MALFORMED);

		ByteBuffer.wrap(plain).putInt(16, -1);
		assertRejected(() -> this.crypto.decrypt(rawEncrypt(KEY, plain)), Reason.MALFORMED);
	}

	@Test
	void rejectsPlaintextShorterThanItsHeader() {
		byte[] plain = new byte[32];
		Arrays.fill(plain, 16, 32, (byte) 16);

		assertRejected(() -> this.crypto.decrypt(rawEncrypt(KEY, plain)), Reason.MALFORMED);
	}

	@Test
	void rejectsMessageThatIsNotUtf8() {
		byte[] plain = layout(new byte[] { (byte) 0xC3, (byte) 0x28 }, ascii(CORP_ID), 64);

		assertRejected(() -> this.crypto.decrypt(rawEncrypt(KEY, plain)), Reason.MALFORMED);
	}

	@Test
	void rejectionMessagesNeverContainTheTokenKeyOrCiphertext() {
		String echostr = URL.at("/request/query/echostr").asText();
		CallbackRejectedException signature = catchThrowableOfType(CallbackRejectedException.class,
				() -> this.crypto.verify("bad", "1", "n", echostr));
		CallbackRejectedException receiver = catchThrowableOfType(CallbackRejectedException.class,
				() -> new WeComCrypto(TOKEN, KEY, "other").decrypt(echostr));

		for (CallbackRejectedException ex : new CallbackRejectedException[] { signature, receiver }) {
			assertThat(ex.getMessage()).doesNotContain(TOKEN, KEY, echostr, CORP_ID);
		}
	}

	@Test
	void rejectsInvalidConfigurationWithoutEchoingTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WeComCrypto(TOKEN, KEY.substring(1), CORP_ID))
			.withMessageNotContaining(KEY.substring(1));
		String notBase64 = KEY.substring(0, 42) + "!";
		assertThatIllegalArgumentException().isThrownBy(() -> new WeComCrypto(TOKEN, notBase64, CORP_ID))
			.withMessageNotContaining(notBase64);
		assertThatIllegalArgumentException().isThrownBy(() -> new WeComCrypto(" ", KEY, CORP_ID));
		assertThatIllegalArgumentException().isThrownBy(() -> this.crypto.encrypt(new byte[15], "x"));
	}

	@Test
	void wxJavaEncryptsAndWeDecrypt() {
		WxCryptUtil wx = new WxCryptUtil(TOKEN, KEY, CORP_ID);
		String plaintext = "<xml><Content><![CDATA[你好 WxJava]]></Content></xml>";
		EncryptContext context = wx.encryptContext(plaintext);

		this.crypto.verify(context.getSignature(), context.getTimeStamp(), context.getNonce(), context.getEncrypt());
		assertThat(this.crypto.decrypt(context.getEncrypt())).isEqualTo(plaintext);

		String envelope = wx.encrypt(plaintext);
		String encrypt = WeComXml.encryptField(envelope.getBytes(StandardCharsets.UTF_8));
		assertThat(this.crypto.decrypt(encrypt)).isEqualTo(plaintext);
	}

	@Test
	void weEncryptAndWxJavaDecrypts() {
		WxCryptUtil wx = new WxCryptUtil(TOKEN, KEY, CORP_ID);
		for (int length = 0; length <= 64; length++) {
			String plaintext = "测".repeat(length % 5) + "x".repeat(length);
			String encrypt = this.crypto.encrypt(plaintext);

			assertThat(wx.decrypt(encrypt)).isEqualTo(plaintext);
			assertThat(wx.decryptContent(this.crypto.signature("1700000000", "nonce", encrypt), "1700000000", "nonce",
					encrypt))
				.isEqualTo(plaintext);
		}
	}

	@Test
	void wxJavaAgreesOnTheOfficialVectorsAndRejectsOurForgedSignature() {
		WxCryptUtil wx = new WxCryptUtil(TOKEN, KEY, CORP_ID);
		JsonNode query = URL.at("/request/query");

		assertThat(wx.decryptContent(query.get("msg_signature").asText(), query.get("timestamp").asText(),
				query.get("nonce").asText(), query.get("echostr").asText()))
			.isEqualTo(this.crypto.verifyUrl(query.get("msg_signature").asText(), query.get("timestamp").asText(),
					query.get("nonce").asText(), query.get("echostr").asText()));
		assertThatExceptionOfType(WxRuntimeException.class).isThrownBy(() -> wx.decryptContent("0".repeat(40),
				query.get("timestamp").asText(), query.get("nonce").asText(), query.get("echostr").asText()));
	}

	@Test
	void aiBotCryptoInteroperatesWithWxJavaForAnEmptyReceiveId() {
		String token = BOT.get("token").asText();
		String key = BOT.get("encoding_aes_key").asText();
		WeComCrypto bot = crypto(BOT);
		WxCryptUtil wx = new WxCryptUtil(token, key, "");
		String plaintext = "{\"msgtype\":\"text\",\"text\":{\"content\":\"你好\"}}";

		EncryptContext context = wx.encryptContext(plaintext);
		bot.verify(context.getSignature(), context.getTimeStamp(), context.getNonce(), context.getEncrypt());
		assertThat(bot.decrypt(context.getEncrypt())).isEqualTo(plaintext);

		String ours = bot.encrypt(plaintext);
		assertThat(wx.decryptContent(bot.signature("1700000000", "n", ours), "1700000000", "n", ours))
			.isEqualTo(plaintext);
		assertThat(wx.decryptContent(BOT.at("/inbound/query/msg_signature").asText(),
				BOT.at("/inbound/query/timestamp").asText(), BOT.at("/inbound/query/nonce").asText(),
				BOT.at("/inbound/body/encrypt").asText()))
			.isEqualTo(bot.decrypt(BOT.at("/inbound/body/encrypt").asText()));
	}

	@Test
	void verifyUrlWorksForAnAiBotEcho() {
		WeComCrypto bot = crypto(BOT);
		WxCryptUtil wx = new WxCryptUtil(BOT.get("token").asText(), BOT.get("encoding_aes_key").asText(), "");
		EncryptContext echo = wx.encryptContext("8327492019283740");

		assertThat(bot.verifyUrl(echo.getSignature(), echo.getTimeStamp(), echo.getNonce(), echo.getEncrypt()))
			.isEqualTo("8327492019283740");
	}

	/**
	 * random(16) | length | msg | receiveId | PKCS#7 to {@code size} bytes.
	 */
	private static byte[] layout(byte[] msg, byte[] receiveId, int size) {
		ByteBuffer buffer = ByteBuffer.allocate(size);
		buffer.put(ascii("0123456789abcdef")).putInt(msg.length).put(msg).put(receiveId);
		byte pad = (byte) buffer.remaining();
		while (buffer.hasRemaining()) {
			buffer.put(pad);
		}
		return buffer.array();
	}

	private static void assertRejected(ThrowingCallable call, Reason reason) {
		assertThatExceptionOfType(CallbackRejectedException.class).isThrownBy(call)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
	}

}
