package io.chatrelay.client.channel.wecomcrypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

/**
 * The WeCom callback crypto ("加解密方案", protocols A.1), shared by self-built app callbacks
 * (receiveId = CorpID) and 智能机器人 callbacks (receiveId = {@code ""}, A.3).
 * <ul>
 * <li>signature: SHA-1 hex over the lexicographically sorted concatenation of token,
 * timestamp, nonce and the {@code Encrypt} value (never the envelope);</li>
 * <li>cipher: AES-256-CBC, key = Base64(EncodingAESKey + "="), IV = key[0:16], PKCS#7
 * padding to <strong>32-byte</strong> blocks (so {@code NoPadding} and unpadding by hand;
 * JCE's 16-byte {@code PKCS5Padding} rejects WeCom's pad values above 16);</li>
 * <li>plaintext: random(16) | length (uint32, big-endian) | msg (UTF-8) | receiveId.</li>
 * </ul>
 * WeCom documents no timestamp window for callbacks, so there is no freshness check here:
 * replays are absorbed by deduplication on {@code MsgId} (A.2). Instances are immutable
 * and thread-safe. No method puts the token, the key or a ciphertext into an exception
 * message.
 */
public final class WeComCrypto {

	private static final int RANDOM_LENGTH = 16;

	private static final int LENGTH_FIELD = 4;

	private static final int PAD_BLOCK = 32;

	private static final int AES_BLOCK = 16;

	private static final int ENCODING_AES_KEY_LENGTH = 43;

	private static final HexFormat HEX = HexFormat.of();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String token;

	private final SecretKeySpec key;

	private final IvParameterSpec iv;

	private final byte[] receiveId;

	/**
	 * Create the crypto for one app or bot.
	 * @param token the callback Token
	 * @param encodingAesKey the 43-character EncodingAESKey
	 * @param receiveId the CorpID for app callbacks, the SuiteID for suites, {@code ""}
	 * for enterprise-internal AI bots
	 * @throws IllegalArgumentException if the token is blank or the key is not a valid
	 * EncodingAESKey (the message never contains the key)
	 */
	public WeComCrypto(String token, String encodingAesKey, String receiveId) {
		if (token == null || token.isBlank()) {
			throw new IllegalArgumentException("WeCom token must not be blank");
		}
		Objects.requireNonNull(receiveId, "receiveId");
		byte[] aesKey = decodeAesKey(encodingAesKey);
		this.token = token;
		this.key = new SecretKeySpec(aesKey, "AES");
		this.iv = new IvParameterSpec(aesKey, 0, AES_BLOCK);
		this.receiveId = receiveId.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] decodeAesKey(String encodingAesKey) {
		if (encodingAesKey == null || encodingAesKey.length() != ENCODING_AES_KEY_LENGTH) {
			throw new IllegalArgumentException(
					"WeCom EncodingAESKey must be " + ENCODING_AES_KEY_LENGTH + " characters");
		}
		try {
			// 43 Base64 characters and one "=" are always 32 bytes: an AES-256 key.
			return Base64.getDecoder().decode(encodingAesKey + "=");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("WeCom EncodingAESKey is not Base64");
		}
	}

	/**
	 * The WeCom signature of a ciphertext.
	 * @param timestamp the {@code timestamp} query parameter (seconds, as sent)
	 * @param nonce the {@code nonce} query parameter
	 * @param encrypt the {@code Encrypt} value (or the {@code echostr})
	 * @return 40 lower-case hex characters
	 */
	public String signature(String timestamp, String nonce, String encrypt) {
		String[] parts = { this.token, Objects.requireNonNull(timestamp, "timestamp"),
				Objects.requireNonNull(nonce, "nonce"), Objects.requireNonNull(encrypt, "encrypt") };
		Arrays.sort(parts);
		MessageDigest sha1 = sha1();
		for (String part : parts) {
			sha1.update(part.getBytes(StandardCharsets.UTF_8));
		}
		return HEX.formatHex(sha1.digest());
	}

	/**
	 * Check a callback's {@code msg_signature} in constant time. Call this before
	 * {@link #decrypt(String)}, so unauthenticated input never reaches the cipher.
	 * @param msgSignature the {@code msg_signature} query parameter
	 * @param timestamp the {@code timestamp} query parameter
	 * @param nonce the {@code nonce} query parameter
	 * @param encrypt the {@code Encrypt} value (or the {@code echostr})
	 * @throws CallbackRejectedException with {@link Reason#SIGNATURE} if a part is
	 * missing or the signature does not match
	 */
	public void verify(String msgSignature, String timestamp, String nonce, String encrypt) {
		if (isEmpty(msgSignature) || isEmpty(timestamp) || isEmpty(nonce) || isEmpty(encrypt)) {
			throw new CallbackRejectedException(Reason.SIGNATURE,
					"WeCom callback lacks msg_signature, timestamp, nonce or the encrypted payload");
		}
		byte[] expected = signature(timestamp, nonce, encrypt).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, msgSignature.getBytes(StandardCharsets.UTF_8))) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "WeCom msg_signature does not match");
		}
	}

	/**
	 * Answer the GET URL verification: verify the signature over {@code echostr} and
	 * decrypt it. The answer to WeCom is the returned plaintext, raw (no quotes, BOM or
	 * newline), within 1 s.
	 * <p>
	 * {@code echostr} is URL-encoded on the wire ({@code %2B}, {@code %2F}, {@code %3D});
	 * pass the value <em>after one</em> URL-decoding, which is what
	 * {@code @RequestParam}/{@code getParameter} already return. Do not decode it again:
	 * a second pass turns Base64 {@code +} into a space and the signature fails.
	 * @param msgSignature the {@code msg_signature} query parameter
	 * @param timestamp the {@code timestamp} query parameter
	 * @param nonce the {@code nonce} query parameter
	 * @param echostr the {@code echostr} query parameter, URL-decoded once
	 * @return the plaintext to answer with
	 * @throws CallbackRejectedException if the signature, the ciphertext or the receiver
	 * is wrong
	 */
	public String verifyUrl(String msgSignature, String timestamp, String nonce, String echostr) {
		verify(msgSignature, timestamp, nonce, echostr);
		return decrypt(echostr);
	}

	/**
	 * Decrypt an {@code Encrypt} value (or an {@code echostr}) and check its receiveId.
	 * @param base64Cipher the Base64 ciphertext
	 * @return the message (XML for app callbacks, JSON for AI bots, a number string for
	 * URL verification)
	 * @throws CallbackRejectedException with {@link Reason#MALFORMED} for bad Base64,
	 * block length, padding, length field or UTF-8, and {@link Reason#WRONG_RECEIVER}
	 * when the receiveId differs from this instance's
	 */
	public String decrypt(String base64Cipher) {
		byte[] cipherBytes = decodeCipher(base64Cipher);
		byte[] plain = crypt(Cipher.DECRYPT_MODE, cipherBytes);
		int end = plain.length - padLength(plain);
		if (end < RANDOM_LENGTH + LENGTH_FIELD) {
			throw malformed("WeCom plaintext is shorter than its header");
		}
		int msgLength = ByteBuffer.wrap(plain, RANDOM_LENGTH, LENGTH_FIELD).getInt();
		int msgStart = RANDOM_LENGTH + LENGTH_FIELD;
		if (msgLength < 0 || msgLength > end - msgStart) {
			throw malformed("WeCom plaintext length field is out of range");
		}
		int msgEnd = msgStart + msgLength;
		if (!Arrays.equals(plain, msgEnd, end, this.receiveId, 0, this.receiveId.length)) {
			throw new CallbackRejectedException(Reason.WRONG_RECEIVER,
					"WeCom message is addressed to another receiveId");
		}
		return utf8(plain, msgStart, msgLength);
	}

	/**
	 * Encrypt a message with a fresh random prefix.
	 * @param plaintext the message (XML or JSON)
	 * @return the Base64 ciphertext
	 */
	public String encrypt(String plaintext) {
		byte[] random16 = new byte[RANDOM_LENGTH];
		RANDOM.nextBytes(random16);
		return encrypt(random16, plaintext);
	}

	/**
	 * Encrypt a message with a given random prefix; for reproducible vectors.
	 * @param random16 the 16-byte prefix
	 * @param plaintext the message (XML or JSON)
	 * @return the Base64 ciphertext
	 */
	public String encrypt(byte[] random16, String plaintext) {
		if (random16 == null || random16.length != RANDOM_LENGTH) {
			throw new IllegalArgumentException("random prefix must be " + RANDOM_LENGTH + " bytes");
		}
		byte[] msg = Objects.requireNonNull(plaintext, "plaintext").getBytes(StandardCharsets.UTF_8);
		int unpadded = RANDOM_LENGTH + LENGTH_FIELD + msg.length + this.receiveId.length;
		int pad = PAD_BLOCK - (unpadded % PAD_BLOCK);
		ByteBuffer buffer = ByteBuffer.allocate(unpadded + pad);
		buffer.put(random16).putInt(msg.length).put(msg).put(this.receiveId);
		while (buffer.hasRemaining()) {
			buffer.put((byte) pad);
		}
		return Base64.getEncoder().encodeToString(crypt(Cipher.ENCRYPT_MODE, buffer.array()));
	}

	private static byte[] decodeCipher(String base64Cipher) {
		if (isEmpty(base64Cipher)) {
			throw malformed("WeCom ciphertext is empty");
		}
		byte[] cipherBytes;
		try {
			cipherBytes = Base64.getDecoder().decode(base64Cipher);
		}
		catch (IllegalArgumentException ex) {
			throw malformed("WeCom ciphertext is not Base64");
		}
		if (cipherBytes.length < PAD_BLOCK || cipherBytes.length % AES_BLOCK != 0) {
			throw malformed("WeCom ciphertext length is not a whole number of blocks");
		}
		return cipherBytes;
	}

	private static int padLength(byte[] plain) {
		int pad = plain[plain.length - 1] & 0xff;
		if (pad < 1 || pad > PAD_BLOCK) {
			throw malformed("WeCom padding is out of range");
		}
		for (int i = plain.length - pad; i < plain.length; i++) {
			if ((plain[i] & 0xff) != pad) {
				throw malformed("WeCom padding is inconsistent");
			}
		}
		return pad;
	}

	private static String utf8(byte[] bytes, int offset, int length) {
		try {
			CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, offset, length));
			return chars.toString();
		}
		catch (CharacterCodingException ex) {
			throw malformed("WeCom message is not UTF-8");
		}
	}

	private byte[] crypt(int mode, byte[] input) {
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
			cipher.init(mode, this.key, this.iv);
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			// Input lengths are checked before; this is a broken JCE, not a bad callback.
			throw new IllegalStateException("AES/CBC/NoPadding failed", ex);
		}
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

	private static boolean isEmpty(String value) {
		return value == null || value.isEmpty();
	}

	private static CallbackRejectedException malformed(String message) {
		return new CallbackRejectedException(Reason.MALFORMED, message);
	}

}
