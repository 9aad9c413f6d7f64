package io.chatrelay.loadtest.traffic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeishuCallbacksTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void encryptsLikeTheOfficialVector() throws IOException {
		JsonNode vector = vector("feishu-doc-decrypt");
		FeishuCallbacks callbacks = new FeishuCallbacks(vector.path("encrypt_key").asText());

		String encrypted = callbacks.encrypt(vector.path("expected_plaintext").asText(),
				HexFormat.of().parseHex(vector.path("derived").path("iv_hex").asText()));

		assertThat(encrypted).isEqualTo(vector.path("encrypt").asText());
	}

	@Test
	void signsLikeTheProtocolVector() throws IOException {
		JsonNode vector = vector("feishu-signature-doc-like");
		FeishuCallbacks callbacks = new FeishuCallbacks(vector.path("encrypt_key").asText());

		String sign = callbacks.sign(vector.path("headers").path("X-Lark-Request-Timestamp").asText(),
				vector.path("headers").path("X-Lark-Request-Nonce").asText(), vector.path("raw_body").asText());

		assertThat(sign).isEqualTo(vector.path("expected_X-Lark-Signature").asText());
	}

	@Test
	void buildsAnEncryptedTextMessageTheClientReads() throws Exception {
		FeishuCallbacks callbacks = new FeishuCallbacks(FeishuCallbacks.ENCRYPT_KEY);
		String body = callbacks
			.encrypted(FeishuCallbacks.textMessage("ev-1", "om_a-1", "lt-u1", "question LTIDa-1.", 1_700_000_000_000L));

		JsonNode event = JSON.readTree(decrypt(JSON.readTree(body).path("encrypt").asText()));
		assertThat(event.path("schema").asText()).isEqualTo("2.0");
		assertThat(event.path("header").path("event_id").asText()).isEqualTo("ev-1");
		assertThat(event.path("header").path("event_type").asText()).isEqualTo("im.message.receive_v1");
		assertThat(event.path("header").path("token").asText()).isEqualTo(FeishuCallbacks.VERIFICATION_TOKEN);
		assertThat(event.path("header").path("app_id").asText()).isEqualTo(FeishuCallbacks.APP_ID);
		JsonNode message = event.path("event").path("message");
		assertThat(message.path("message_id").asText()).isEqualTo("om_a-1");
		assertThat(message.path("chat_type").asText()).isEqualTo("p2p");
		assertThat(JSON.readTree(message.path("content").asText()).path("text").asText())
			.isEqualTo("question LTIDa-1.");
		assertThat(event.path("event").path("sender").path("sender_id").path("open_id").asText()).isEqualTo("ou_lt-u1");
		assertThat(callbacks.encrypted("{}")).as("a fresh IV each time").isNotEqualTo(callbacks.encrypted("{}"));
	}

	private static String decrypt(String encrypt) throws GeneralSecurityException {
		byte[] raw = Base64.getDecoder().decode(encrypt);
		byte[] key = MessageDigest.getInstance("SHA-256")
			.digest(FeishuCallbacks.ENCRYPT_KEY.getBytes(StandardCharsets.UTF_8));
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
				new IvParameterSpec(Arrays.copyOfRange(raw, 0, 16)));
		return new String(cipher.doFinal(raw, 16, raw.length - 16), StandardCharsets.UTF_8);
	}

	private static JsonNode vector(String id) throws IOException {
		return Vectors.vector("feishu.json", id);
	}

}
