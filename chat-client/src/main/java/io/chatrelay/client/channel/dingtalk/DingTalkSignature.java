package io.chatrelay.client.channel.dingtalk;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;

/**
 * The {@code timestamp} and {@code sign} headers of a DingTalk enterprise robot callback
 * in HTTP mode (protocols B.1): {@code sign = Base64(HmacSHA256(key = appSecret, data =
 * timestamp + "\n" + appSecret))}, timestamp in milliseconds, within one hour of now. The
 * header value is plain Base64, not URL-encoded (unlike the custom-robot webhook).
 * Thread-safe.
 */
final class DingTalkSignature {

	/** How far the callback timestamp may be from now, either way. */
	public static final Duration WINDOW = Duration.ofHours(1);

	private static final String HMAC = "HmacSHA256";

	private static final int MAX_TIMESTAMP_DIGITS = 15;

	private final String appSecret;

	private final SecretKeySpec key;

	/**
	 * Create the verifier of one robot.
	 * @param appSecret the app's Client Secret (AppSecret)
	 * @throws IllegalArgumentException when the secret is missing
	 */
	public DingTalkSignature(String appSecret) {
		if (appSecret == null || appSecret.isBlank()) {
			throw new IllegalArgumentException("DingTalk appSecret must not be blank");
		}
		this.appSecret = appSecret;
		this.key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), HMAC);
	}

	/**
	 * The {@code sign} DingTalk sends with a timestamp.
	 * @param timestampMillis the {@code timestamp} header value
	 * @return the Base64 signature, not URL-encoded
	 */
	public String sign(long timestampMillis) {
		return sign(Long.toString(timestampMillis));
	}

	/**
	 * Check the headers of a callback.
	 * @param timestampHeader the {@code timestamp} header, epoch milliseconds
	 * @param signHeader the {@code sign} header
	 * @param nowMillis the current time
	 * @throws CallbackRejectedException {@link Reason#SIGNATURE} when a header is
	 * missing, the timestamp is not a number or the sign differs; {@link Reason#STALE}
	 * when the timestamp is more than {@link #WINDOW} from now
	 */
	public void verify(String timestampHeader, String signHeader, long nowMillis) {
		if (timestampHeader == null || timestampHeader.isBlank() || signHeader == null || signHeader.isBlank()) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "DingTalk timestamp or sign header is missing");
		}
		if (!isDigits(timestampHeader)) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "DingTalk timestamp header is not a number");
		}
		long skewMillis = Long.parseLong(timestampHeader) - nowMillis;
		if (Math.abs(skewMillis) > WINDOW.toMillis()) {
			throw new CallbackRejectedException(Reason.STALE,
					"DingTalk timestamp is " + skewMillis + " ms from now, outside ±" + WINDOW);
		}
		// Sign the header as received: it is what DingTalk signed.
		byte[] expected = sign(timestampHeader).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, signHeader.getBytes(StandardCharsets.UTF_8))) {
			throw new CallbackRejectedException(Reason.SIGNATURE, "DingTalk sign does not match");
		}
	}

	private String sign(String timestamp) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(this.key);
			byte[] digest = mac.doFinal((timestamp + "\n" + this.appSecret).getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Every JVM has " + HMAC, ex);
		}
	}

	private static boolean isDigits(String value) {
		if (value.length() > MAX_TIMESTAMP_DIGITS) {
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

}
