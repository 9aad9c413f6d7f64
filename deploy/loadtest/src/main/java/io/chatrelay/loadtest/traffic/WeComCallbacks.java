package io.chatrelay.loadtest.traffic;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom self-built app message pushes as WeCom sends them (protocols A.1): an XML
 * envelope whose {@code Encrypt} is AES-256-CBC (key Base64(EncodingAESKey + "="), IV its
 * first 16 bytes, PKCS#7 to 32-byte blocks) of {@code random(16) | length | message
 * | CorpID}, and {@code msg_signature} = hex(SHA-1(sorted token, timestamp, nonce,
 * Encrypt)) in the query.
 */
public final class WeComCallbacks {

	/** The CorpID the load tool configures on the client. */
	public static final String CORP_ID = "wwloadtest00000001";

	/** The AgentId the load tool configures on the client. */
	public static final String AGENT_ID = "1000002";

	/** The app Secret the load tool configures on the client. */
	public static final String SECRET = "wecom-loadtest-secret-not-real";

	/** The callback Token the load tool configures on the client. */
	public static final String TOKEN = "wecomloadtesttoken";

	/**
	 * The callback EncodingAESKey (43 characters) the load tool configures on the client.
	 */
	public static final String ENCODING_AES_KEY = "Ba3uBjNfLe32JEWfRYKQB5TJDfEl7nfCIlpFTYF5KzE";

	private static final SecureRandom RANDOM = new SecureRandom();

	/** WeCom message ids are 64-bit numbers; unique per tool process. */
	private static final AtomicLong MESSAGE_IDS = new AtomicLong(System.currentTimeMillis() * 1000);

	private final String token;

	private final byte[] key;

	private final String receiveId;

	/**
	 * Create an encoder.
	 * @param token the callback Token
	 * @param encodingAesKey the EncodingAESKey
	 * @param receiveId the CorpID
	 */
	public WeComCallbacks(String token, String encodingAesKey, String receiveId) {
		this.token = token;
		this.key = Base64.getDecoder().decode(encodingAesKey + "=");
		this.receiveId = receiveId;
	}

	/**
	 * The body WeCom posts for a message.
	 * @param encrypt the encrypted message
	 * @return the XML envelope
	 */
	public static String envelope(String encrypt) {
		return "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
				+ "]]></Encrypt><AgentID><![CDATA[" + AGENT_ID + "]]></AgentID></xml>";
	}

	/**
	 * Encrypt a message with a fresh random prefix.
	 * @param message the plain XML
	 * @return Base64 of the cipher text
	 */
	public String encrypt(String message) {
		byte[] random = new byte[16];
		RANDOM.nextBytes(random);
		return encrypt(message, random);
	}

	/**
	 * Encrypt with a given random prefix (the protocol's vector fixes it).
	 * @param message the plain XML
	 * @param random 16 bytes
	 * @return Base64 of the cipher text
	 */
	String encrypt(String message, byte[] random) {
		byte[] msg = message.getBytes(StandardCharsets.UTF_8);
		byte[] receiver = this.receiveId.getBytes(StandardCharsets.UTF_8);
		int length = random.length + 4 + msg.length + receiver.length;
		int pad = 32 - (length % 32);
		ByteBuffer plain = ByteBuffer.allocate(length + pad);
		plain.put(random).putInt(msg.length).put(msg).put(receiver);
		while (plain.hasRemaining()) {
			plain.put((byte) pad);
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(this.key, "AES"),
					new IvParameterSpec(Arrays.copyOfRange(this.key, 0, 16)));
			return Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The {@code msg_signature} query parameter.
	 * @param timestamp {@code timestamp} (seconds)
	 * @param nonce {@code nonce}
	 * @param encrypt the {@code Encrypt} value
	 * @return lower-case hex of the SHA-1
	 */
	public String sign(String timestamp, String nonce, String encrypt) {
		String[] parts = { this.token, timestamp, nonce, encrypt };
		Arrays.sort(parts);
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1")
					.digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A text message from a member to the app.
	 * @param user the member's UserID (one conversation per member)
	 * @param text what the member wrote (no {@code ]]>})
	 * @param nowMillis the send time
	 * @return the plain XML, before encryption
	 */
	public static String textMessage(String user, String text, long nowMillis) {
		return "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[" + user
				+ "]]></FromUserName><CreateTime>" + (nowMillis / 1000) + "</CreateTime><MsgType><![CDATA[text]]>"
				+ "</MsgType><Content><![CDATA[" + text + "]]></Content><MsgId>" + MESSAGE_IDS.incrementAndGet()
				+ "</MsgId><AgentID>" + AGENT_ID + "</AgentID></xml>";
	}

}
