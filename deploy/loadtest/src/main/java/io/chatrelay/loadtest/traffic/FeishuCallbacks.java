package io.chatrelay.loadtest.traffic;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Feishu event subscription v2 callbacks as Feishu sends them with an Encrypt Key
 * (protocols C.2, C.3): an {@code im.message.receive_v1} event, encrypted as
 * {@code {"encrypt":"<base64(iv + AES-256-CBC(json))>"}} with the key SHA-256(Encrypt
 * Key), and signed with {@code X-Lark-Signature} = hex(SHA-256(timestamp + nonce +
 * Encrypt Key + body)).
 */
public final class FeishuCallbacks {

	/** The App ID the load tool configures on the client. */
	public static final String APP_ID = "cli_loadtest0000001";

	/** The App Secret the load tool configures on the client. */
	public static final String APP_SECRET = "feishu-loadtest-secret-not-real";

	/** The Verification Token the load tool configures on the client. */
	public static final String VERIFICATION_TOKEN = "feishu-loadtest-token";

	/** The Encrypt Key the load tool configures on the client. */
	public static final String ENCRYPT_KEY = "feishu-loadtest-encrypt-key";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String encryptKey;

	private final SecretKeySpec key;

	/**
	 * Create an encoder.
	 * @param encryptKey the Encrypt Key
	 */
	public FeishuCallbacks(String encryptKey) {
		this.encryptKey = encryptKey;
		this.key = new SecretKeySpec(sha256(encryptKey.getBytes(StandardCharsets.UTF_8)), "AES");
	}

	/**
	 * The body Feishu sends for an event.
	 * @param json the event
	 * @return {@code {"encrypt":"..."}}
	 */
	public String encrypted(String json) {
		byte[] iv = new byte[16];
		RANDOM.nextBytes(iv);
		return "{\"encrypt\":\"" + encrypt(json, iv) + "\"}";
	}

	/**
	 * Encrypt with a given IV (the protocol's vector fixes it).
	 * @param plain the plain text
	 * @param iv 16 bytes
	 * @return Base64 of the IV followed by the cipher text
	 */
	String encrypt(String plain, byte[] iv) {
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new IvParameterSpec(iv));
			byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
			byte[] out = new byte[iv.length + sealed.length];
			System.arraycopy(iv, 0, out, 0, iv.length);
			System.arraycopy(sealed, 0, out, iv.length, sealed.length);
			return Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The {@code X-Lark-Signature} header.
	 * @param timestamp {@code X-Lark-Request-Timestamp} (seconds)
	 * @param nonce {@code X-Lark-Request-Nonce}
	 * @param body the raw body
	 * @return lower-case hex of the SHA-256
	 */
	public String sign(String timestamp, String nonce, String body) {
		return HexFormat.of()
			.formatHex(sha256((timestamp + nonce + this.encryptKey + body).getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * A p2p text message event.
	 * @param eventId the event id (the relay's dedupe key)
	 * @param messageId the message id (the reply goes to it)
	 * @param user the sender's open_id (one conversation per sender)
	 * @param text what the user wrote (no characters that need JSON escaping)
	 * @param nowMillis the send time
	 * @return the event JSON, before encryption
	 */
	public static String textMessage(String eventId, String messageId, String user, String text, long nowMillis) {
		return "{\"schema\":\"2.0\",\"header\":{\"event_id\":\"" + eventId
				+ "\",\"event_type\":\"im.message.receive_v1\",\"create_time\":\"" + nowMillis + "\",\"token\":\""
				+ VERIFICATION_TOKEN + "\",\"app_id\":\"" + APP_ID + "\",\"tenant_key\":\"loadtenant\"},"
				+ "\"event\":{\"sender\":{\"sender_id\":{\"union_id\":\"on_" + user + "\",\"user_id\":\"" + user
				+ "\",\"open_id\":\"ou_" + user + "\"},\"sender_type\":\"user\",\"tenant_key\":\"loadtenant\"},"
				+ "\"message\":{\"message_id\":\"" + messageId + "\",\"create_time\":\"" + nowMillis
				+ "\",\"chat_id\":\"oc_" + user + "\",\"chat_type\":\"p2p\",\"message_type\":\"text\","
				+ "\"content\":\"{\\\"text\\\":\\\"" + text + "\\\"}\"}}}";
	}

	private static byte[] sha256(byte[] input) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
