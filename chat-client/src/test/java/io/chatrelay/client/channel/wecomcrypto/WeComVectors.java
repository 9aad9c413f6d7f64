package io.chatrelay.client.channel.wecomcrypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The WeCom vectors of {@code /vectors/wecom.json}, and a raw AES-CBC oracle written
 * independently of {@link WeComCrypto} to build and inspect padded plaintexts.
 */
public final class WeComVectors {

	/** Official URL-verification vector (doc 90968). */
	public static final String VERIFY_URL = "wecom-v1-verifyurl";

	/** Official POST XML vector (doc 90968). */
	public static final String POST_XML = "wecom-v1-post-xml";

	/** Computed AI-bot vector (receiveId ""). */
	public static final String AI_BOT = "wecom-aibot-json-computed";

	private static final JsonNode ROOT = load();

	private WeComVectors() {
	}

	/**
	 * One vector by id.
	 * @param id the vector id
	 * @return the vector
	 */
	public static JsonNode vector(String id) {
		for (JsonNode vector : ROOT.get("vectors")) {
			if (id.equals(vector.get("id").asText())) {
				return vector;
			}
		}
		throw new IllegalArgumentException("No vector " + id);
	}

	/**
	 * The crypto a vector describes.
	 * @param vector the vector
	 * @return its token, key and receiveId
	 */
	public static WeComCrypto crypto(JsonNode vector) {
		return new WeComCrypto(vector.get("token").asText(), vector.get("encoding_aes_key").asText(),
				vector.get("receiveid").asText());
	}

	/**
	 * AES-256-CBC without padding, key and IV derived as the protocol says.
	 * @param encodingAesKey the EncodingAESKey
	 * @param mode {@link Cipher#ENCRYPT_MODE} or {@link Cipher#DECRYPT_MODE}
	 * @param input whole blocks
	 * @return the output
	 */
	public static byte[] rawAes(String encodingAesKey, int mode, byte[] input) {
		try {
			byte[] key = Base64.getDecoder().decode(encodingAesKey + "=");
			Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
			cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The padded plaintext inside a Base64 ciphertext.
	 * @param encodingAesKey the EncodingAESKey
	 * @param base64Cipher the ciphertext
	 * @return the decrypted bytes, padding included
	 */
	public static byte[] rawDecrypt(String encodingAesKey, String base64Cipher) {
		return rawAes(encodingAesKey, Cipher.DECRYPT_MODE, Base64.getDecoder().decode(base64Cipher));
	}

	/**
	 * Encrypt bytes as they are (the caller lays out and pads them).
	 * @param encodingAesKey the EncodingAESKey
	 * @param plain whole blocks
	 * @return the Base64 ciphertext
	 */
	public static String rawEncrypt(String encodingAesKey, byte[] plain) {
		return Base64.getEncoder().encodeToString(rawAes(encodingAesKey, Cipher.ENCRYPT_MODE, plain));
	}

	/**
	 * ASCII bytes, for the vectors' fixed random prefixes.
	 * @param text ASCII text
	 * @return its bytes
	 */
	public static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static JsonNode load() {
		try (InputStream in = WeComVectors.class.getResourceAsStream("/vectors/wecom.json")) {
			return new ObjectMapper().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
