package io.chatrelay.client.channel.dingtalk;

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.conversation.ConversationKey;
import io.chatrelay.client.dispatch.ReplySender;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.platform.PlatformApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DingTalk robot channel (HTTP mode): verifies the {@code timestamp}/{@code sign}
 * headers, reads text messages in 1:1 chats and group chats (where DingTalk only delivers
 * messages that @-mention the robot), and answers in markdown through the message's
 * session webhook while it is valid, else through the robot OpenAPI. Conversations:
 * {@code dingtalk:<sender>} in 1:1 chats, {@code dingtalk:<conversationId>:<sender>} in
 * groups.
 */
class DingTalkChannel implements ReplySender {

	private static final Logger log = LoggerFactory.getLogger(DingTalkChannel.class);

	/** The channel name. */
	public static final String NAME = "dingtalk";

	/**
	 * Largest part of a reply. DingTalk documents no cap; this keeps a part well under
	 * what its clients render comfortably (about 2,000 CJK characters).
	 */
	public static final int PART_LIMIT_BYTES = 6000;

	/** A session webhook this close to expiry is not used any more. */
	private static final long WEBHOOK_MARGIN_MILLIS = 10_000;

	private static final String WEBHOOK = "webhook";

	private static final String WEBHOOK_EXPIRES = "webhookExpires";

	static final String STAFF = "staff";

	private static final String GROUP = "group";

	private final DingTalkSignature signature;

	private final String robotCode;

	private final Set<String> webhookHosts;

	private final DingTalkApi api;

	private final ObjectMapper json;

	private final Clock clock;

	/**
	 * Create the channel.
	 * @param properties its settings (every credential set)
	 * @param api the DingTalk API client
	 * @param json the JSON mapper
	 * @param clock the clock for timestamps and webhook expiry
	 */
	public DingTalkChannel(DingTalkProperties properties, DingTalkApi api, ObjectMapper json, Clock clock) {
		this.signature = new DingTalkSignature(properties.appSecret());
		this.robotCode = properties.robotCode();
		this.webhookHosts = properties.sessionWebhookHosts()
			.stream()
			.map((host) -> host.strip().toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
		this.api = api;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public String channel() {
		return NAME;
	}

	/**
	 * Read a callback.
	 * @param timestamp the {@code timestamp} header (ms)
	 * @param sign the {@code sign} header
	 * @param body the raw JSON body
	 * @return the message, or {@code null} for anything but text (acknowledged and
	 * ignored)
	 * @throws CallbackRejectedException if it is forged, stale or malformed
	 */
	public ChannelMessage read(String timestamp, String sign, byte[] body) {
		this.signature.verify(timestamp, sign, this.clock.millis());
		DingTalkMessage message = DingTalkMessage.parse(body, this.json);
		if (message.robotCode() != null && !message.robotCode().isBlank()
				&& !message.robotCode().equals(this.robotCode)) {
			throw new CallbackRejectedException(CallbackRejectedException.Reason.WRONG_RECEIVER,
					"DingTalk message is for another robot");
		}
		if (!message.isText() || message.text() == null || message.text().isBlank()) {
			return null;
		}
		String sender = message.senderKey();
		Map<String, String> replyTo = new HashMap<>();
		if (message.sessionWebhook() != null && !message.sessionWebhook().isBlank()) {
			if (allowed(message.sessionWebhook())) {
				replyTo.put(WEBHOOK, message.sessionWebhook());
				replyTo.put(WEBHOOK_EXPIRES, String.valueOf(message.sessionWebhookExpiredTime()));
			}
			else {
				log.warn(
						"DingTalk sessionWebhook of message {} points at a host outside "
								+ "chat.client.channel.dingtalk.session-webhook-hosts; replying through the OpenAPI",
						message.msgId());
			}
		}
		if (message.isGroup()) {
			replyTo.put(GROUP, message.conversationId());
		}
		else if (message.senderStaffId() != null && !message.senderStaffId().isBlank()) {
			replyTo.put(STAFF, message.senderStaffId());
		}
		String conversation = message.isGroup() ? ConversationKey.of(NAME, message.conversationId(), sender)
				: ConversationKey.of(NAME, sender);
		return new ChannelMessage(NAME, message.msgId(), conversation, sender, message.text(), replyTo,
				this.clock.millis());
	}

	@Override
	public int partLimitBytes() {
		return PART_LIMIT_BYTES;
	}

	@Override
	public CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index) {
		String title = title(part);
		String webhook = message.replyTo(WEBHOOK);
		if (webhook != null
				&& Long.parseLong(message.replyTo(WEBHOOK_EXPIRES)) - WEBHOOK_MARGIN_MILLIS > this.clock.millis()) {
			return this.api.replyViaSessionWebhook(URI.create(webhook), title, part);
		}
		if (message.replyTo(GROUP) != null) {
			return this.api.sendToGroup(message.replyTo(GROUP), title, part);
		}
		if (message.replyTo(STAFF) != null) {
			return this.api.sendToUser(message.replyTo(STAFF), title, part);
		}
		return CompletableFuture.failedFuture(new PlatformApiException(DingTalkApi.PLATFORM, 0, "no_address", false,
				"The session webhook expired and the sender has no staff id (an external user)"));
	}

	private boolean allowed(String webhook) {
		try {
			String host = URI.create(webhook).getHost();
			return host != null && this.webhookHosts.contains(host.toLowerCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** The notification title: the start of the part's first line. */
	private static String title(String part) {
		String line = part.strip().lines().findFirst().orElse("").strip();
		if (line.isEmpty()) {
			return "ChatRelay";
		}
		return (line.codePointCount(0, line.length()) > 20) ? line.substring(0, line.offsetByCodePoints(0, 20)) + "…"
				: line;
	}

}
