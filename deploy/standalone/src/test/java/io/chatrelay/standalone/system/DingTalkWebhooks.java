package io.chatrelay.standalone.system;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DingTalk robot callbacks as DingTalk builds them (field table of protocols B.1), signed
 * with the JCE independently of the client: HmacSHA256(appSecret, timestamp + "\n" +
 * appSecret), Base64, not URL-encoded.
 */
final class DingTalkWebhooks {

	static final String APP_KEY = "dingappkey0000000001";

	static final String APP_SECRET = "dingtalk-app-secret-not-real-0001";

	static final String ROBOT_CODE = "dingrobot0000000001";

	private static final ObjectMapper JSON = new ObjectMapper();

	private DingTalkWebhooks() {
	}

	/**
	 * A text message.
	 * @param conversationType {@code "1"} single or {@code "2"} group
	 * @param staffId the sender's staff id
	 * @param conversationId DingTalk's conversation id
	 * @param text what the user wrote
	 * @param sessionWebhook where replies go
	 * @param webhookValidFor how long the session webhook stays valid (negative: expired)
	 * @return the JSON body
	 */
	static String message(String conversationType, String staffId, String conversationId, String text,
			String sessionWebhook, Duration webhookValidFor) {
		long now = System.currentTimeMillis();
		ObjectNode body = JSON.createObjectNode()
			.put("conversationId", conversationId)
			.put("chatbotCorpId", "dingcorp")
			.put("chatbotUserId", "$:LWCP_v1:$robot")
			.put("msgId", "msg" + UUID.randomUUID())
			.put("senderNick", "张三")
			.put("isAdmin", false)
			.put("senderStaffId", staffId)
			.put("sessionWebhookExpiredTime", now + webhookValidFor.toMillis())
			.put("createAt", now)
			.put("senderCorpId", "dingcorp")
			.put("conversationType", conversationType)
			.put("senderId", "$:LWCP_v1:$" + staffId)
			.put("isInAtList", "2".equals(conversationType))
			.put("sessionWebhook", sessionWebhook)
			.put("robotCode", ROBOT_CODE)
			.put("msgtype", "text");
		body.putObject("text").put("content", " " + text);
		return body.toString();
	}

	/**
	 * The {@code timestamp} and {@code sign} headers for now.
	 * @return {timestamp, sign}
	 */
	static String[] signedNow() {
		long now = System.currentTimeMillis();
		return new String[] { String.valueOf(now), sign(now, APP_SECRET) };
	}

	/**
	 * DingTalk's callback signature.
	 * @param timestamp milliseconds
	 * @param secret the app secret
	 * @return the {@code sign} header
	 */
	static String sign(long timestamp, String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return Base64.getEncoder()
				.encodeToString(mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
