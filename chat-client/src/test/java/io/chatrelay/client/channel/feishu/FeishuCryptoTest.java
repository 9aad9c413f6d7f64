package io.chatrelay.client.channel.feishu;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lark.oapi.core.utils.Decryptor;
import com.lark.oapi.event.EventDispatcher;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FeishuCryptoTest {

	private static final Duration WINDOW = Duration.ofMinutes(5);

	private static JsonNode decryptVector;

	private static JsonNode signatureVector;

	@BeforeAll
	static void loadVectors() throws IOException {
		try (InputStream in = FeishuCryptoTest.class.getResourceAsStream("/vectors/feishu.json")) {
			JsonNode vectors = new ObjectMapper().readTree(in).path("vectors");
			for (JsonNode vector : vectors) {
				switch (vector.path("id").asText()) {
					case "feishu-doc-decrypt" -> decryptVector = vector;
					case "feishu-signature-doc-like" -> signatureVector = vector;
					default -> {
					}
				}
			}
		}
		assertThat(decryptVector).isNotNull();
		assertThat(signatureVector).isNotNull();
	}

	@Test
	void decryptsTheDocVector() {
		FeishuCrypto crypto = new FeishuCrypto(decryptVector.path("encrypt_key").asText());

		assertThat(crypto.enabled()).isTrue();
		assertThat(crypto.decrypt(decryptVector.path("encrypt").asText()))
			.isEqualTo(decryptVector.path("expected_plaintext").asText());
	}

	@Test
	void docVectorDerivationIsTheOneWeImplement() throws Exception {
		byte[] key = MessageDigest.getInstance("SHA-256")
			.digest(decryptVector.path("encrypt_key").asText().getBytes(StandardCharsets.UTF_8));
		byte[] raw = Base64.getDecoder().decode(decryptVector.path("encrypt").asText());

		assertThat(HexFormat.of().formatHex(key)).isEqualTo(decryptVector.path("derived").path("aes_key_hex").asText());
		assertThat(HexFormat.of().formatHex(raw, 0, 16))
			.isEqualTo(decryptVector.path("derived").path("iv_hex").asText());
		assertThat(raw).hasSize(decryptVector.path("derived").path("decoded_bytes").asInt());
	}

	@Test
	void decryptsWhatTheSpecEncryptorProduces() throws Exception {
		String plaintext = "{\"text\":\"你好, Feishu — ünïcode ✓\"}";

		assertThat(new FeishuCrypto("my encrypt key").decrypt(SpecEncryptor.encrypt("my encrypt key", plaintext)))
			.isEqualTo(plaintext);
	}

	@Test
	void larkSdkDecryptsWhatTheSpecEncryptorProduces() throws Exception {
		String plaintext = "{\"challenge\":\"ajls384kdjx98XX\",\"type\":\"url_verification\",\"text\":\"你好\"}";
		String encrypted = SpecEncryptor.encrypt("my encrypt key", plaintext);

		assertThat(new Decryptor("my encrypt key").decrypt(encrypted)).isEqualTo(plaintext);
		assertThat(new FeishuCrypto("my encrypt key").decrypt(encrypted)).isEqualTo(plaintext);
	}

	@Test
	void larkSdkAgreesOnTheDocVector() throws Exception {
		String key = decryptVector.path("encrypt_key").asText();
		String encrypt = decryptVector.path("encrypt").asText();

		assertThat(new FeishuCrypto(key).decrypt(encrypt)).isEqualTo(new Decryptor(key).decrypt(encrypt));
	}

	@Test
	void computesTheSignatureVector() {
		FeishuCrypto crypto = new FeishuCrypto(signatureVector.path("encrypt_key").asText());

		assertThat(crypto.signature(timestamp(), nonce(), rawBody()))
			.isEqualTo(signatureVector.path("expected_X-Lark-Signature").asText());
	}

	@ParameterizedTest
	@CsvSource({ "1599360473,nonce-x,test key,{\"encrypt\":\"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=\"}",
			"1700000000,n0nce,another key,{\"schema\":\"2.0\"}", "1,'',k,''" })
	void signatureMatchesLarkSdk(String timestamp, String nonce, String key, String body) throws Exception {
		EventDispatcher dispatcher = EventDispatcher.newBuilder("token", key).build();
		Method calculate = EventDispatcher.class.getDeclaredMethod("calculateSignature", String.class, String.class,
				String.class, String.class);
		calculate.setAccessible(true);

		String expected = (String) calculate.invoke(dispatcher, timestamp, nonce, key, body);

		assertThat(new FeishuCrypto(key).signature(timestamp, nonce, body.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(expected);
	}

	@Test
	void signatureHashesTheRawBodyBytes() throws Exception {
		byte[] body = "{\"text\":\"你好\"}".getBytes(StandardCharsets.UTF_8);
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		digest.update("17000000000nceKEY".getBytes(StandardCharsets.UTF_8));
		digest.update(body);

		assertThat(new FeishuCrypto("KEY").signature("1700000000", "0nce", body))
			.isEqualTo(HexFormat.of().formatHex(digest.digest()));
	}

	@Test
	void acceptsTheSignatureVectorWithinTheWindow() {
		assertThatCode(() -> vectorCrypto().verify(timestamp(), nonce(), expectedSignature(), rawBody(),
				timestampMillis() + 1000, WINDOW))
			.doesNotThrowAnyException();
	}

	@Test
	void rejectsCallbackWithForgedSignature() {
		String forged = new FeishuCrypto("not the key").signature(timestamp(), nonce(), rawBody());

		assertRejected(Reason.SIGNATURE,
				() -> vectorCrypto().verify(timestamp(), nonce(), forged, rawBody(), timestampMillis(), WINDOW));
	}

	@Test
	void rejectsSignatureOfAnotherBody() {
		byte[] tampered = rawBody().clone();
		tampered[tampered.length - 3] ^= 1;

		assertRejected(Reason.SIGNATURE, () -> vectorCrypto().verify(timestamp(), nonce(), expectedSignature(),
				tampered, timestampMillis(), WINDOW));
	}

	@Test
	void rejectsSignatureForAnotherNonce() {
		assertRejected(Reason.SIGNATURE, () -> vectorCrypto().verify(timestamp(), "nonce-y", expectedSignature(),
				rawBody(), timestampMillis(), WINDOW));
	}

	@ParameterizedTest
	@CsvSource(nullValues = "NULL", value = { "NULL,nonce-x,sig", "'',nonce-x,sig", "1599360473,NULL,sig",
			"1599360473,' ',sig", "1599360473,nonce-x,NULL", "1599360473,nonce-x,''" })
	void rejectsMissingSignatureHeaders(String timestamp, String nonce, String signature) {
		String sig = "sig".equals(signature) ? expectedSignature() : signature;

		assertRejected(Reason.SIGNATURE,
				() -> vectorCrypto().verify(timestamp, nonce, sig, rawBody(), timestampMillis(), WINDOW));
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "-1599360473", "+1599360473", "1599360473.0", "1599360473000000000" })
	void rejectsTimestampThatIsNotSeconds(String timestamp) {
		assertRejected(Reason.SIGNATURE, () -> vectorCrypto().verify(timestamp, nonce(), expectedSignature(), rawBody(),
				timestampMillis(), WINDOW));
	}

	@ParameterizedTest
	@ValueSource(longs = { -300_001, 300_001, -86_400_000, 86_400_000 })
	void rejectsStaleTimestampEitherWay(long skewMillis) {
		// The signature is genuine: only the clock is wrong (a replay, or a request from
		// the future).
		assertRejected(Reason.STALE, () -> vectorCrypto().verify(timestamp(), nonce(), expectedSignature(), rawBody(),
				timestampMillis() - skewMillis, WINDOW));
	}

	@ParameterizedTest
	@ValueSource(longs = { -300_000, 0, 300_000 })
	void acceptsTimestampAtTheEdgeOfTheWindow(long skewMillis) {
		assertThatCode(() -> vectorCrypto().verify(timestamp(), nonce(), expectedSignature(), rawBody(),
				timestampMillis() - skewMillis, WINDOW))
			.doesNotThrowAnyException();
	}

	@Test
	void checksNothingWithoutEncryptKey() {
		FeishuCrypto crypto = new FeishuCrypto(" ");

		assertThat(crypto.enabled()).isFalse();
		assertThatCode(() -> crypto.verify(null, null, null, rawBody(), 0, WINDOW)).doesNotThrowAnyException();
		assertThat(new FeishuCrypto(null).enabled()).isFalse();
	}

	@Test
	void rejectsDecryptWithoutEncryptKey() {
		assertRejected(Reason.MALFORMED, () -> new FeishuCrypto("").decrypt(decryptVector.path("encrypt").asText()));
	}

	@Test
	void rejectsCiphertextOfAnotherKey() {
		CallbackRejectedException rejected = assertRejected(Reason.MALFORMED,
				() -> new FeishuCrypto("other key").decrypt(decryptVector.path("encrypt").asText()));

		assertThat(rejected.getMessage()).doesNotContain("other key").doesNotContain("test key");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "not base64!", "", "AAAAAAAAAAAAAAAAAAAAAA==", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghkA" })
	void rejectsEncryptValueThatIsNotIvAndBlocks(String encrypt) {
		assertRejected(Reason.MALFORMED, () -> vectorCrypto().decrypt(encrypt));
	}

	@Test
	void rejectionMessagesNeverCarryTheKeyOrBody() {
		CallbackRejectedException rejected = assertRejected(Reason.SIGNATURE,
				() -> vectorCrypto().verify(timestamp(), nonce(), "00", rawBody(), timestampMillis(), WINDOW));

		assertThat(rejected.getMessage()).doesNotContain("test key")
			.doesNotContain(expectedSignature())
			.doesNotContain("P37w");
	}

	private static CallbackRejectedException assertRejected(Reason reason, ThrowingCallable call) {
		CallbackRejectedException rejected = catchThrowableOfType(CallbackRejectedException.class, call);
		assertThat(rejected).as("rejection").isNotNull();
		assertThat(rejected.reason()).isEqualTo(reason);
		return rejected;
	}

	private static FeishuCrypto vectorCrypto() {
		return new FeishuCrypto(signatureVector.path("encrypt_key").asText());
	}

	private static String timestamp() {
		return signatureVector.path("headers").path("X-Lark-Request-Timestamp").asText();
	}

	private static long timestampMillis() {
		return Long.parseLong(timestamp()) * 1000;
	}

	private static String nonce() {
		return signatureVector.path("headers").path("X-Lark-Request-Nonce").asText();
	}

	private static byte[] rawBody() {
		return signatureVector.path("raw_body").asText().getBytes(StandardCharsets.UTF_8);
	}

	private static String expectedSignature() {
		return signatureVector.path("expected_X-Lark-Signature").asText();
	}

}
