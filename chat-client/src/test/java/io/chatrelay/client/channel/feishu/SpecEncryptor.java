package io.chatrelay.client.channel.feishu;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What Feishu does to an event body when an Encrypt Key is set, written from protocols
 * C.2 and independent of the production code: key = SHA-256(Encrypt Key), a random IV,
 * AES/CBC with PKCS#7, then Base64(IV || ciphertext).
 */
final class SpecEncryptor {

	private static final SecureRandom RANDOM = new SecureRandom();

	private SpecEncryptor() {
	}

	static String encrypt(String encryptKey, String plaintext) throws GeneralSecurityException {
		byte[] key = MessageDigest.getInstance("SHA-256").digest(encryptKey.getBytes(StandardCharsets.UTF_8));
		byte[] iv = new byte[16];
		RANDOM.nextBytes(iv);
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
		byte[] ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
		byte[] out = new byte[iv.length + ciphertext.length];
		System.arraycopy(iv, 0, out, 0, iv.length);
		System.arraycopy(ciphertext, 0, out, iv.length, ciphertext.length);
		return Base64.getEncoder().encodeToString(out);
	}

	static String encryptedBody(String encryptKey, String plaintext) throws GeneralSecurityException {
		return "{\"encrypt\":\"" + encrypt(encryptKey, plaintext) + "\"}";
	}

}
