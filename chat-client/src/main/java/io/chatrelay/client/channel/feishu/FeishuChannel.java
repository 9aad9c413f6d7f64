package io.chatrelay.client.channel.feishu;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.conversation.ConversationKey;
import io.chatrelay.client.dispatch.ReplySender;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;

/**
 * The Feishu/Lark bot channel (event subscription v2): verifies {@code X-Lark-Signature}
 * over the raw body (an Encrypt Key is required), decrypts, checks the Verification Token
 * when one is set, answers {@code url_verification}, reads {@code im.message.receive_v1}
 * text in p2p chats and in groups (where the bot is @-mentioned; the mention placeholder
 * is removed), and replies with {@code im/v1/messages/{message_id}/reply}, each part with
 * an idempotency key. Conversations: {@code feishu:<open_id>} in p2p chats,
 * {@code feishu:<chat_id>:<open_id>} in groups.
 */
class FeishuChannel implements ReplySender {

	/** The channel name. */
	public static final String NAME = "feishu";

	static final String MESSAGE = "message";

	private final FeishuProperties properties;

	private final FeishuCrypto crypto;

	private final FeishuEvents events;

	private final FeishuApi api;

	private final Clock clock;

	/**
	 * Create the channel.
	 * @param properties its settings, the Encrypt Key set
	 * @param api the Feishu API client
	 * @param json the JSON mapper
	 * @param clock the clock for timestamps
	 * @throws IllegalArgumentException without an Encrypt Key
	 */
	public FeishuChannel(FeishuProperties properties, FeishuApi api, ObjectMapper json, Clock clock) {
		if (FeishuProperties.blank(properties.encryptKey())) {
			throw new IllegalArgumentException("The Feishu channel needs an Encrypt Key");
		}
		this.properties = properties;
		this.crypto = new FeishuCrypto(properties.encryptKey());
		this.events = new FeishuEvents(this.crypto, properties.verificationToken(), json);
		this.api = api;
		this.clock = clock;
	}

	@Override
	public String channel() {
		return NAME;
	}

	/**
	 * Read a callback: signature verified (every event but {@code url_verification} must
	 * be signed), decrypted, token checked.
	 * @param timestamp {@code X-Lark-Request-Timestamp}
	 * @param nonce {@code X-Lark-Request-Nonce}
	 * @param signature {@code X-Lark-Signature}
	 * @param body the raw body, exactly as received
	 * @return the event
	 * @throws CallbackRejectedException if it is forged, stale or malformed
	 */
	public FeishuEvent read(String timestamp, String nonce, String signature, byte[] body) {
		boolean signed = signature != null && !signature.isBlank();
		if (signed) {
			this.crypto.verify(timestamp, nonce, signature, body, this.clock.millis(),
					this.properties.timestampWindow());
		}
		FeishuEvent event = this.events.read(body);
		if (!signed && !(event instanceof FeishuEvent.UrlVerification)) {
			// With an Encrypt Key every event is signed; only url_verification is not.
			throw new CallbackRejectedException(CallbackRejectedException.Reason.SIGNATURE,
					"Feishu event without X-Lark-Signature");
		}
		if (event instanceof FeishuEvent.MessageReceived received && received.appId() != null
				&& !received.appId().equals(this.properties.appId())) {
			throw new CallbackRejectedException(CallbackRejectedException.Reason.WRONG_RECEIVER,
					"Feishu event is for another app");
		}
		return event;
	}

	/**
	 * The relay's view of a received text message, or {@code null} when it is not for the
	 * bot (empty text, or a group message that mentions nobody).
	 * @param received the event
	 * @return the message
	 */
	public ChannelMessage message(FeishuEvent.MessageReceived received) {
		if (received.text() == null || received.text().isBlank()
				|| (received.isGroup() && !received.mentionsSomeone())) {
			return null;
		}
		String user = received.senderOpenId();
		String conversation = received.isGroup() ? ConversationKey.of(NAME, received.chatId(), user)
				: ConversationKey.of(NAME, user);
		return new ChannelMessage(NAME, received.eventId(), conversation, user, received.text(),
				Map.of(MESSAGE, received.messageId()), this.clock.millis());
	}

	@Override
	public int partLimitBytes() {
		return FeishuApi.TEXT_LIMIT_BYTES;
	}

	@Override
	public CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index) {
		return this.api.replyText(message.replyTo(MESSAGE), part, idempotencyKey(message.messageId(), index));
	}

	/**
	 * One key per reply part, stable across retries of the same part: {@code event_id}
	 * (32 hex characters) and the part number, within Feishu's 50 characters.
	 */
	static String idempotencyKey(String eventId, int part) {
		String suffix = "-" + part;
		String base = (eventId.length() + suffix.length() > FeishuApi.IDEMPOTENCY_KEY_MAX_LENGTH)
				? eventId.substring(0, FeishuApi.IDEMPOTENCY_KEY_MAX_LENGTH - suffix.length()) : eventId;
		return base + suffix;
	}

}
