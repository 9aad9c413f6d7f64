package io.chatrelay.loadtest.traffic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WeComCallbacksTest {

	@Test
	void encryptsAndSignsLikeTheOfficialVector() throws IOException {
		JsonNode vector = Vectors.vector("wecom.json", "wecom-v1-post-xml");
		WeComCallbacks callbacks = new WeComCallbacks(vector.path("token").asText(),
				vector.path("encoding_aes_key").asText(), vector.path("receiveid").asText());
		String body = vector.path("request").path("body").asText();
		String expected = body.substring(body.indexOf("<Encrypt><![CDATA[") + "<Encrypt><![CDATA[".length(),
				body.indexOf("]]></Encrypt>"));
		JsonNode query = vector.path("request").path("query");

		String encrypt = callbacks.encrypt(vector.path("expected").path("decrypted_msg").asText(),
				HexFormat.of().parseHex(vector.path("derived").path("random_prefix_hex").asText()));

		assertThat(encrypt).isEqualTo(expected);
		assertThat(callbacks.sign(query.path("timestamp").asText(), query.path("nonce").asText(), encrypt))
			.isEqualTo(query.path("msg_signature").asText());
	}

	@Test
	void buildsAMessageTheClientCanDecrypt() throws Exception {
		WeComCallbacks callbacks = new WeComCallbacks(WeComCallbacks.TOKEN, WeComCallbacks.ENCODING_AES_KEY,
				WeComCallbacks.CORP_ID);
		String first = WeComCallbacks.textMessage("lt-u1", "question LTIDa-1.", 1_700_000_000_000L);
		String second = WeComCallbacks.textMessage("lt-u1", "question LTIDa-2.", 1_700_000_000_000L);

		byte[] plain = decrypt(callbacks.encrypt(first));
		ByteBuffer buffer = ByteBuffer.wrap(plain, 16, plain.length - 16);
		byte[] message = new byte[buffer.getInt()];
		buffer.get(message);
		String xml = new String(message, StandardCharsets.UTF_8);
		int pad = plain[plain.length - 1];
		String receiver = new String(plain, 20 + message.length, plain.length - 20 - message.length - pad,
				StandardCharsets.UTF_8);

		assertThat(xml).isEqualTo(first)
			.contains("<FromUserName><![CDATA[lt-u1]]></FromUserName>")
			.contains("<Content><![CDATA[question LTIDa-1.]]></Content>")
			.contains("<CreateTime>1700000000</CreateTime>")
			.contains("<AgentID>" + WeComCallbacks.AGENT_ID + "</AgentID>");
		assertThat(receiver).isEqualTo(WeComCallbacks.CORP_ID);
		assertThat(plain.length % 32).as("padded to 32-byte blocks").isZero();
		assertThat(msgId(second)).as("each message its own MsgId").isNotEqualTo(msgId(first));
		assertThat(Base64.getDecoder().decode(WeComCallbacks.ENCODING_AES_KEY + "=")).hasSize(32);
	}

	private static String msgId(String xml) {
		return xml.substring(xml.indexOf("<MsgId>"), xml.indexOf("</MsgId>"));
	}

	private static byte[] decrypt(String encrypt) throws Exception {
		byte[] key = Base64.getDecoder().decode(WeComCallbacks.ENCODING_AES_KEY + "=");
		Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
		cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
		return cipher.doFinal(Base64.getDecoder().decode(encrypt));
	}

}
