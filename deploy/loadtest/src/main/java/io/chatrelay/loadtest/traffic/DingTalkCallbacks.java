package io.chatrelay.loadtest.traffic;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * DingTalk robot callbacks as DingTalk sends them in HTTP mode (protocols B.1): a JSON
 * body and the headers {@code timestamp} (ms) and {@code sign} =
 * Base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)), not URL-encoded. The
 * signature depends only on the timestamp, so one per millisecond is enough.
 */
public final class DingTalkCallbacks {

	/** The app key the load tool configures on the client. */
	public static final String APP_KEY = "dingloadtest00000001";

	/** The app secret the load tool configures on the client. */
	public static final String APP_SECRET = "dingtalk-loadtest-secret-not-real";

	/** The robot code the load tool configures on the client. */
	public static final String ROBOT_CODE = "dingloadrobot0000001";

	private final String secret;

	private final ThreadLocal<Mac> macs;

	private volatile Signed last = new Signed(-1, "");

	/**
	 * Create a signer.
	 * @param secret the app secret
	 */
	public DingTalkCallbacks(String secret) {
		this.secret = secret;
		this.macs = ThreadLocal.withInitial(() -> {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
				return mac;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	/**
	 * The {@code sign} header for a timestamp.
	 * @param timestampMillis the {@code timestamp} header
	 * @return Base64 of the HMAC
	 */
	public String sign(long timestampMillis) {
		Signed cached = this.last;
		if (cached.timestamp() == timestampMillis) {
			return cached.sign();
		}
		Mac mac = this.macs.get();
		String sign = Base64.getEncoder()
			.encodeToString(mac.doFinal((timestampMillis + "\n" + this.secret).getBytes(StandardCharsets.UTF_8)));
		this.last = new Signed(timestampMillis, sign);
		return sign;
	}

	/**
	 * A 1:1 text message.
	 * @param msgId the platform message id (the relay's dedupe key)
	 * @param user the sender's staff id (one conversation per sender)
	 * @param text what the user wrote
	 * @param sessionWebhook where the reply goes
	 * @param nowMillis the send time
	 * @return the JSON body
	 */
	public static String textMessage(String msgId, String user, String text, String sessionWebhook, long nowMillis) {
		return "{\"conversationId\":\"cid-" + user + "\",\"chatbotCorpId\":\"dingcorp\","
				+ "\"chatbotUserId\":\"$:LWCP_v1:$robot\",\"msgId\":\"" + msgId + "\",\"senderNick\":\"load\","
				+ "\"isAdmin\":false,\"senderStaffId\":\"" + user + "\",\"sessionWebhookExpiredTime\":"
				+ (nowMillis + 5_400_000L) + ",\"createAt\":" + nowMillis + ",\"senderCorpId\":\"dingcorp\","
				+ "\"conversationType\":\"1\",\"senderId\":\"$:LWCP_v1:$" + user + "\",\"isInAtList\":false,"
				+ "\"sessionWebhook\":\"" + sessionWebhook + "\",\"robotCode\":\"" + ROBOT_CODE + "\","
				+ "\"msgtype\":\"text\",\"text\":{\"content\":\" " + text + "\"}}";
	}

	private record Signed(long timestamp, String sign) {
	}

}
