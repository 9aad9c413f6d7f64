package io.chatrelay.client.channel.feishu;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

/**
 * The Encrypt Key side of Feishu/Lark event subscription v2 (protocols C.2): the
 * {@code X-Lark-Signature} check over the raw body and the AES-256-CBC decryption of
 * {@code {"encrypt":"…"}} bodies.
 * <p>
 * Without an Encrypt Key Feishu neither encrypts nor signs: {@link #verify} then checks
 * nothing (as the Lark SDK does) and the only authentication left is the Verification
 * Token, which {@link FeishuEvents} checks. Thread-safe.
 */
final class FeishuCrypto {

	private static final int BLOCK = 16;

	private static final int MAX_TIMESTAMP_DIGITS = 15;

	private final String encryptKey;

	private final SecretKeySpec aesKey;

	/**
	 * Create the codec of one app.
	 * @param encryptKey the app's Encrypt Key; {@code null} or blank when events are
	 * neither encrypted nor signed
	 */
	public FeishuCrypto(String encryptKey) {
		this.encryptKey = (encryptKey != null && !encryptKey.isBlank()) ? encryptKey : "";
		this.aesKey = this.encryptKey.isEmpty() ? null : new SecretKeySpec(sha256(utf8(this.encryptKey)), "AES");
	}

	/**
	 * Whether an Encrypt Key is configured, so that bodies are encrypted and signed.
	 * @return {@code true} with an Encrypt Key
	 */
	public boolean enabled() {
		return this.aesKey != null;
	}

	/**
	 * Decrypt the {@code encrypt} value of a callback body: key = SHA-256(Encrypt Key),
	 * IV = the first 16 bytes of the decoded data, AES/CBC with standard (16-byte)
	 * PKCS#7.
	 * @param base64 the {@code encrypt} value
	 * @return the plaintext, normally JSON
	 * @throws CallbackRejectedException {@link Reason#MALFORMED} when no key is
	 * configured or the value is not Base64, not whole blocks, or does not decrypt with
	 * this key
	 */
	public String decrypt(String base64) {
		if (!enabled()) {
			throw new CallbackRejectedException(Reason.MALFORMED,
					"Encrypted Feishu callback but no Encrypt Key is set");
		}
		if (base64 == null) {
			throw new CallbackRejectedException(Reason.MALFORMED, "Feishu encrypt value is missing");
		}
		byte[] raw;
		try {
			raw = Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new CallbackRejectedException(Reason.MALFORMED, "Feishu encrypt value is not Base64");
		}
		if (raw.length < 2 * BLOCK || raw.length % BLOCK != 0) {
			throw new CallbackRejectedException(Reason.MALFORMED,
					"Feishu encrypt value has " + raw.length + " bytes, not an IV and whole AES blocks");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(Cipher.DECRYPT_MODE, this.aesKey, new IvParameterSpec(raw, 0, BLOCK));
			return new String(cipher.doFinal(raw, BLOCK, raw.length - BLOCK), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			// Wrong key or tampered data: the padding check fails. The cause says no
			// more.
			throw new CallbackRejectedException(Reason.MALFORMED, "Feishu encrypt value does not decrypt with the key");
		}
	}

	/**
	 * The expected {@code X-Lark-Signature}: lowercase hex of SHA-256 over the UTF-8
	 * bytes of {@code timestamp + nonce + encryptKey} followed by the raw body bytes
	 * exactly as received.
	 * @param timestamp the {@code X-Lark-Request-Timestamp} header
	 * @param nonce the {@code X-Lark-Request-Nonce} header
	 * @param rawBody the request body, before any parsing
	 * @return 64 lowercase hex digits
	 */
	public String signature(String timestamp, String nonce, byte[] rawBody) {
		Objects.requireNonNull(timestamp, "timestamp");
		Objects.requireNonNull(nonce, "nonce");
		Objects.requireNonNull(rawBody, "rawBody");
		MessageDigest digest = sha256();
		digest.update(utf8(timestamp + nonce + this.encryptKey));
		digest.update(rawBody);
		return HexFormat.of().formatHex(digest.digest());
	}

	/**
	 * Check the signature headers of an event callback; call it before
	 * {@link FeishuEvents#read}. Does nothing when no Encrypt Key is configured (Feishu
	 * does not sign then).
	 * @param timestamp the {@code X-Lark-Request-Timestamp} header, in seconds
	 * @param nonce the {@code X-Lark-Request-Nonce} header
	 * @param signature the {@code X-Lark-Signature} header
	 * @param rawBody the request body exactly as received
	 * @param nowMillis the current time
	 * @param window how far the timestamp may be from now, either way
	 * @throws CallbackRejectedException {@link Reason#SIGNATURE} when a header is
	 * missing, the timestamp is not a number or the signature differs;
	 * {@link Reason#STALE} when the timestamp is outside the window
	 */
	public void verify(String timestamp, String nonce, String signature, byte[] rawBody, long nowMillis,
			Duration window) {
		if (!enabled()) {
			return;
		}
		if (isBlank(timestamp) || isBlank(nonce) || isBlank(signature)) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "Feishu signature headers are missing");
		}
		if (!isDigits(timestamp, MAX_TIMESTAMP_DIGITS)) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "Feishu request timestamp is not a number");
		}
		long skewMillis = Long.parseLong(timestamp) * 1000 - nowMillis;
		if (Math.abs(skewMillis) > window.toMillis()) {
			throw new CallbackRejectedException(Reason.STALE,
					"Feishu request timestamp is " + (skewMillis / 1000) + " s from now, outside ±" + window);
		}
		byte[] expected = utf8(signature(timestamp, nonce, rawBody));
		if (!MessageDigest.isEqual(expected, utf8(signature))) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "Feishu signature does not match");
		}
	}

	static boolean isDigits(String value, int maxDigits) {
		if (value.isEmpty() || value.length() > maxDigits) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] sha256(byte[] data) {
		return sha256().digest(data);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
