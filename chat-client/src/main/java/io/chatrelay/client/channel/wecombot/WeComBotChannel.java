package io.chatrelay.client.channel.wecombot;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.conversation.ConversationKey;
import io.chatrelay.client.inbox.ChannelInbox.Acceptance;
import io.chatrelay.client.inbox.ChannelInbox.Intake;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import io.chatrelay.client.intake.Freshness;
import io.chatrelay.client.intake.MessageIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The WeCom 智能机器人 channel (protocols A.3). A user message gets a new stream, is stored in
 * the durable inbox with the stream's id, and the callback is answered at once with the
 * (empty) stream; whichever node's inbox worker takes the message streams the model's
 * answer into Redis ({@link WeComBotResponder}). WeCom then polls with refresh callbacks,
 * which any node answers from Redis with the whole answer so far, until it is final.
 * <p>
 * The inbox claims a message once across nodes by its msgid and remembers its stream id:
 * a re-delivery (or the same webhook at another node) is answered with the first
 * delivery's stream, and the model is asked once. Conversations:
 * {@code wecom-bot:<aibotid>:<userid>} in 1:1 chats,
 * {@code wecom-bot:<aibotid>:<chatid>:<userid>} in group chats (where the leading
 * {@code @bot} mention is removed).
 */
class WeComBotChannel {

	/** The channel name. */
	public static final String NAME = "wecom-bot";

	private static final Logger log = LoggerFactory.getLogger(WeComBotChannel.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder STREAM_ID = Base64.getUrlEncoder().withoutPadding();

	private final WeComBotProperties properties;

	private final WeComCrypto crypto;

	private final WeComBotCodec codec;

	private final WeComBotStreams streams;

	private final MessageIntake intake;

	private final Clock clock;

	/**
	 * Create the channel.
	 * @param properties its settings (both credentials set)
	 * @param json the mapper for the bot's JSON
	 * @param streams the stream states in Redis
	 * @param intake hands messages to the durable inbox
	 * @param clock the clock for timestamps and deadlines
	 */
	WeComBotChannel(WeComBotProperties properties, ObjectMapper json, WeComBotStreams streams, MessageIntake intake,
			Clock clock) {
		this.properties = properties;
		this.crypto = new WeComCrypto(properties.token(), properties.encodingAesKey(), "");
		this.codec = new WeComBotCodec(this.crypto, json);
		this.streams = streams;
		this.intake = intake;
		this.clock = clock;
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
	 * Handle a POST callback: a user message starts (or, for a duplicate, rejoins) a
	 * stream; a refresh reads one.
	 * @param signature {@code msg_signature}
	 * @param timestamp {@code timestamp}
	 * @param nonce {@code nonce}, echoed in the reply
	 * @param body the raw body, {@code {"encrypt":"…"}}
	 * @return the encrypted stream reply, or {@code null} for an empty 200 (the callback
	 * is acknowledged and ignored)
	 * @throws CallbackRejectedException if it is forged, stale, for another receiver or
	 * malformed
	 * @throws JedisException if Redis is unavailable (the callback fails with 503,
	 * nothing is stored, and WeCom delivers it again)
	 */
	public String receive(String signature, String timestamp, String nonce, byte[] body) {
		Freshness.checkSeconds(timestamp, this.clock.millis(), this.properties.timestampWindow());
		WeComBotCallback callback = this.codec.read(signature, timestamp, nonce, body);
		if (callback.isStreamRefresh()) {
			return reply(callback.streamId(), current(callback.streamId()), nonce);
		}
		String text = userText(callback);
		if (text.isEmpty()) {
			this.intake.count(NAME, "ignored");
			return null;
		}
		String streamId = newStreamId();
		ChannelMessage message = message(callback, text, streamId);
		WeComBotStream started = WeComBotStream.started(message.receivedAtMillis());
		this.streams.write(streamId, started);
		Acceptance acceptance;
		try {
			acceptance = this.intake.accept(message, this.properties.dedupeTtl(), streamId);
		}
		catch (RuntimeException ex) {
			forget(streamId, ex);
			throw ex;
		}
		if (acceptance.intake() == Intake.QUEUED) {
			log.debug("Accepted {} as stream {}", message, streamId);
			return reply(streamId, started, nonce);
		}
		if (acceptance.intake() == Intake.DUPLICATE) {
			forget(streamId, null);
			log.debug("Duplicate of {}, answered with its stream {}", message, acceptance.remembered());
			return reply(acceptance.remembered(), current(acceptance.remembered()), nonce);
		}
		// Busy: the apology is the stream's final content already.
		return reply(streamId, current(streamId), nonce);
	}

	/**
	 * Delete a stream that is not used after all; it expires anyway, so a failure is only
	 * kept with the one being reported, if any.
	 */
	private void forget(String streamId, RuntimeException failure) {
		try {
			this.streams.delete(streamId);
		}
		catch (RuntimeException ex) {
			if (failure != null) {
				failure.addSuppressed(ex);
			}
			else {
				log.debug("Unused stream {} not deleted (it expires): {}", streamId, ex.toString());
			}
		}
	}

	private WeComBotStream current(String streamId) {
		return this.streams.read(streamId)
			.map((stream) -> stream.asOf(this.clock.millis(), this.properties.streamDeadline()))
			.orElse(WeComBotStream.UNKNOWN);
	}

	private String reply(String streamId, WeComBotStream stream, String nonce) {
		return this.codec.streamReply(streamId, stream.content(), stream.finish(), nonce,
				Long.toString(this.clock.millis() / 1000));
	}

	private ChannelMessage message(WeComBotCallback callback, String text, String streamId) {
		String msgId = required(callback.msgId(), "msgid");
		String aibotId = required(callback.aibotId(), "aibotid");
		String userId = required(callback.userId(), "from.userid");
		return new ChannelMessage(NAME, msgId, conversationId(aibotId, callback.chatId(), userId), userId, text,
				Map.of(WeComBotResponder.STREAM, streamId), this.clock.millis());
	}

	private static String required(String value, String field) {
		if (value == null || value.isBlank()) {
			throw new CallbackRejectedException(Reason.MALFORMED, "WeCom bot message has no " + field);
		}
		return value;
	}

	/**
	 * The conversation of a message.
	 * @param aibotId the bot
	 * @param chatId the group chat, {@code null} or blank in 1:1 chats
	 * @param userId the sender
	 * @return {@code wecom-bot:<aibotid>:<userid>} or
	 * {@code wecom-bot:<aibotid>:<chatid>:<userid>}
	 */
	static String conversationId(String aibotId, String chatId, String userId) {
		boolean group = chatId != null && !chatId.isBlank();
		return group ? ConversationKey.of(NAME, aibotId, chatId, userId) : ConversationKey.of(NAME, aibotId, userId);
	}

	/**
	 * What the user asked: the message's text, stripped, without the leading mention of
	 * the bot in group chats.
	 * @param callback the message
	 * @return the text, empty when there is none (images, files, events, a bare mention)
	 */
	static String userText(WeComBotCallback callback) {
		String text = (callback.text() != null) ? callback.text().strip() : "";
		boolean group = "group".equals(callback.chatType())
				|| (callback.chatId() != null && !callback.chatId().isBlank());
		return group ? withoutLeadingMention(text) : text;
	}

	/**
	 * Remove a leading {@code @name} and the space after it: in a group the bot only
	 * receives messages that mention it, and WeCom keeps the mention in the text
	 * ({@code "@RobotA hello robot"}). The name ends at the first whitespace, including
	 * the U+2005 space WeCom clients put after a mention.
	 * @param text the stripped text
	 * @return the text without the mention, stripped
	 */
	static String withoutLeadingMention(String text) {
		if (!text.startsWith("@")) {
			return text;
		}
		int end = 1;
		while (end < text.length() && !isSpace(text.charAt(end))) {
			end++;
		}
		return text.substring(end).strip();
	}

	private static boolean isSpace(char c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c);
	}

	private static String newStreamId() {
		byte[] random = new byte[18];
		RANDOM.nextBytes(random);
		return STREAM_ID.encodeToString(random);
	}

}
