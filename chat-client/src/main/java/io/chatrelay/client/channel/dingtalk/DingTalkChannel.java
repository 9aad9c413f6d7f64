package io.chatrelay.client.channel.dingtalk;

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
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

	private final Set<String> webhookHttpHosts;

	private final ReplayCheck replays;

	private final DingTalkApi api;

	private final ObjectMapper json;

	private final Clock clock;

	/**
	 * Create the channel.
	 * @param properties its settings (every credential set)
	 * @param api the DingTalk API client
	 * @param replays the check that a signature is not reused after the replay window
	 * @param json the JSON mapper
	 * @param clock the clock for timestamps and webhook expiry
	 */
	public DingTalkChannel(DingTalkProperties properties, DingTalkApi api, ReplayCheck replays, ObjectMapper json,
			Clock clock) {
		this.signature = new DingTalkSignature(properties.appSecret());
		this.robotCode = properties.robotCode();
		this.webhookHosts = hosts(properties.sessionWebhookHosts());
		this.webhookHttpHosts = hosts(properties.sessionWebhookHttpHosts());
		this.replays = replays;
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
	 * @throws CallbackRejectedException if it is forged, stale, a replay of another
	 * message's signature, malformed, or cannot be answered
	 */
	public ChannelMessage read(String timestamp, String sign, byte[] body) {
		this.signature.verify(timestamp, sign, this.clock.millis());
		DingTalkMessage message = DingTalkMessage.parse(body, this.json);
		this.replays.check(timestamp, message.msgId());
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
		boolean webhookRefused = false;
		if (message.sessionWebhook() != null && !message.sessionWebhook().isBlank()) {
			if (allowed(message.sessionWebhook())) {
				replyTo.put(WEBHOOK, message.sessionWebhook());
				replyTo.put(WEBHOOK_EXPIRES, String.valueOf(message.sessionWebhookExpiredTime()));
			}
			else {
				webhookRefused = true;
			}
		}
		if (message.isGroup()) {
			replyTo.put(GROUP, message.conversationId());
		}
		else if (message.senderStaffId() != null && !message.senderStaffId().isBlank()) {
			replyTo.put(STAFF, message.senderStaffId());
		}
		if (webhookRefused) {
			if (replyTo.isEmpty()) {
				// No address is left to answer on: refuse now, visibly, rather than store
				// a
				// message whose answer could only fail.
				throw new CallbackRejectedException(CallbackRejectedException.Reason.MALFORMED,
						"DingTalk sessionWebhook is not https on a host of session-webhook-hosts, and the sender "
								+ "has no staff id for the OpenAPI");
			}
			log.warn(
					"DingTalk sessionWebhook of message {} is not https on a host of "
							+ "chat.client.channel.dingtalk.session-webhook-hosts; replying through the OpenAPI",
					message.msgId());
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

	/**
	 * Whether a callback's {@code sessionWebhook} may be posted to: https on an allowed
	 * host, or plain http on a host explicitly allowed for it (tests only).
	 */
	private boolean allowed(String webhook) {
		try {
			URI uri = URI.create(webhook);
			String host = uri.getHost();
			String scheme = uri.getScheme();
			if (host == null || scheme == null) {
				return false;
			}
			host = host.toLowerCase(Locale.ROOT);
			return switch (scheme.toLowerCase(Locale.ROOT)) {
				case "https" -> this.webhookHosts.contains(host);
				case "http" -> this.webhookHttpHosts.contains(host);
				default -> false;
			};
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static Set<String> hosts(List<String> hosts) {
		return hosts.stream()
			.map((host) -> host.strip().toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Rejects a message that reuses another message's signature after the replay window
	 * ({@link DingTalkReplayGuard}, in Redis).
	 */
	@FunctionalInterface
	interface ReplayCheck {

		/**
		 * Check a verified signature's use.
		 * @param timestamp the verified {@code timestamp} header
		 * @param msgId the message's id
		 * @throws CallbackRejectedException {@code REPLAYED} for a replay
		 */
		void check(String timestamp, String msgId);

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
