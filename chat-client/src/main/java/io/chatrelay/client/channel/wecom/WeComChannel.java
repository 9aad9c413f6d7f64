package io.chatrelay.client.channel.wecom;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.conversation.ConversationKey;
import io.chatrelay.client.dispatch.ReplySender;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.Freshness;

/**
 * The WeCom self-built app channel: reads its callbacks (verify, decrypt, parse) and
 * sends replies with {@code message/send}, or {@code appchat/send} for an app group chat,
 * in parts of at most 2048 bytes. Conversations: {@code wecom:<agent>:<user>} in 1:1
 * chats, {@code wecom:<agent>:<chat>:<user>} in group chats.
 */
class WeComChannel implements ReplySender {

	/** The channel name. */
	public static final String NAME = "wecom";

	static final String TO_USER = "user";

	private static final String TO_CHAT = "chat";

	private final WeComProperties properties;

	private final WeComCrypto crypto;

	private final WeComApi api;

	private final Clock clock;

	/**
	 * Create the channel.
	 * @param properties its settings (every credential set)
	 * @param api the WeCom API client
	 * @param clock the clock for timestamp checks
	 */
	public WeComChannel(WeComProperties properties, WeComApi api, Clock clock) {
		if (!properties.agentId().strip().chars().allMatch(Character::isDigit)) {
			throw new IllegalStateException("chat.client.channel.wecom.agent-id must be the app's numeric AgentId");
		}
		this.properties = properties;
		this.crypto = new WeComCrypto(properties.token(), properties.encodingAesKey(), properties.corpId());
		this.api = api;
		this.clock = clock;
	}

	@Override
	public String channel() {
		return NAME;
	}

	/**
	 * Answer WeCom's URL verification.
	 * @param signature {@code msg_signature}
	 * @param timestamp {@code timestamp}
	 * @param nonce {@code nonce}
	 * @param echostr {@code echostr}, URL-decoded once (as the servlet container does)
	 * @return the plaintext to answer with
	 */
	public String verifyUrl(String signature, String timestamp, String nonce, String echostr) {
		return this.crypto.verifyUrl(signature, timestamp, nonce, echostr);
	}

	/**
	 * Read a message callback.
	 * @param signature {@code msg_signature}
	 * @param timestamp {@code timestamp}
	 * @param nonce {@code nonce}
	 * @param body the raw XML body
	 * @return the message as the relay handles it, or {@code null} for events and
	 * non-text messages (acknowledged and ignored)
	 * @throws CallbackRejectedException if it is forged, stale, for another corp or
	 * malformed
	 */
	public ChannelMessage read(String signature, String timestamp, String nonce, byte[] body) {
		Freshness.checkSeconds(timestamp, this.clock.millis(), this.properties.timestampWindow());
		String encrypt = WeComXml.encryptField(body);
		this.crypto.verify(signature, timestamp, nonce, encrypt);
		WeComMessage message = WeComXml.message(this.crypto.decrypt(encrypt));
		if (!message.isText() || message.content() == null || message.content().isBlank()) {
			return null;
		}
		String agent = (message.agentId() != null) ? message.agentId() : this.properties.agentId();
		boolean group = message.chatId() != null && !message.chatId().isBlank();
		String conversation = group ? ConversationKey.of(NAME, agent, message.chatId(), message.fromUserName())
				: ConversationKey.of(NAME, agent, message.fromUserName());
		Map<String, String> replyTo = group ? Map.of(TO_CHAT, message.chatId())
				: Map.of(TO_USER, message.fromUserName());
		return new ChannelMessage(NAME, message.dedupeKey(), conversation, message.fromUserName(),
				message.content().strip(), replyTo, this.clock.millis());
	}

	@Override
	public int partLimitBytes() {
		return WeComApi.TEXT_LIMIT_BYTES;
	}

	@Override
	public CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index) {
		String chat = message.replyTo(TO_CHAT);
		return (chat != null) ? this.api.sendAppChatText(chat, part)
				: this.api.sendText(this.properties.agentId(), message.replyTo(TO_USER), part);
	}

}
