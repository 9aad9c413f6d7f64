package io.chatrelay.client.channel.wecombot;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.channel.CallbackRejectedException;
import io.chatrelay.client.channel.CallbackRejectedException.Reason;
import io.chatrelay.client.channel.ChannelMessage;
import io.chatrelay.client.channel.Deduplicator;
import io.chatrelay.client.channel.Freshness;
import io.chatrelay.client.channel.wecom.WeComCrypto;
import io.chatrelay.client.conversation.ConversationService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The WeCom 智能机器人 channel (protocols A.3). A user message is answered in the callback's
 * own response with a new stream, and the model's answer is streamed into Redis; WeCom
 * then polls with refresh callbacks, which any node answers from Redis with the whole
 * answer so far, until it is final.
 * <p>
 * A message is claimed once across nodes by its msgid, remembering its stream id: a
 * re-delivery (or the same webhook at another node) is answered with the first delivery's
 * stream, and the model is asked once. Conversations:
 * {@code wecom-bot:<aibotid>:<userid>} in 1:1 chats,
 * {@code wecom-bot:<aibotid>:<chatid>:<userid>} in group chats (where the leading
 * {@code @bot} mention is removed).
 */
public class WeComBotChannel implements AutoCloseable {

	/** The channel name. */
	public static final String NAME = "wecom-bot";

	/** The shortest time between two stores of an unfinished stream. */
	static final Duration STORE_INTERVAL = Duration.ofMillis(100);

	private static final Logger log = LoggerFactory.getLogger(WeComBotChannel.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder STREAM_ID = Base64.getUrlEncoder().withoutPadding();

	private final WeComBotProperties properties;

	private final WeComCrypto crypto;

	private final WeComBotCodec codec;

	private final Deduplicator deduplicator;

	private final WeComBotStreams streams;

	private final ConversationService conversations;

	private final Clock clock;

	private final ScheduledExecutorService flushes;

	/**
	 * Create the channel.
	 * @param properties its settings (both credentials set)
	 * @param json the mapper for the bot's JSON
	 * @param deduplicator claims msgids across nodes
	 * @param streams the stream states in Redis
	 * @param conversations answers messages with context
	 * @param clock the clock for timestamps and deadlines
	 */
	WeComBotChannel(WeComBotProperties properties, ObjectMapper json, Deduplicator deduplicator,
			WeComBotStreams streams, ConversationService conversations, Clock clock) {
		this.properties = properties;
		this.crypto = new WeComCrypto(properties.token(), properties.encodingAesKey(), "");
		this.codec = new WeComBotCodec(this.crypto, json);
		this.deduplicator = deduplicator;
		this.streams = streams;
		this.conversations = conversations;
		this.clock = clock;
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "wecom-bot-flush");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		this.flushes = executor;
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
	 * @return the response
	 * @throws CallbackRejectedException if it is forged, stale, for another receiver or
	 * malformed
	 * @throws JedisException if Redis is unavailable (the callback fails with 503 and
	 * WeCom delivers it again)
	 */
	public Response receive(String signature, String timestamp, String nonce, byte[] body) {
		Freshness.checkSeconds(timestamp, this.clock.millis(), this.properties.timestampWindow());
		WeComBotCallback callback = this.codec.read(signature, timestamp, nonce, body);
		if (callback.isStreamRefresh()) {
			return new Response(reply(callback.streamId(), current(callback.streamId()), nonce), null);
		}
		String text = userText(callback);
		if (text.isEmpty()) {
			return new Response(null, "ignored");
		}
		ChannelMessage message = message(callback, text);
		String streamId = newStreamId();
		this.streams.write(streamId, WeComBotStream.started(message.receivedAtMillis()));
		Optional<String> first = this.deduplicator.claim(NAME, message.messageId(), streamId,
				this.properties.dedupeTtl());
		if (first.isPresent()) {
			this.streams.delete(streamId);
			log.debug("Duplicate of {}, answered with its stream {}", message, first.get());
			return new Response(reply(first.get(), current(first.get()), nonce), "duplicate");
		}
		WeComBotStream started = start(message, streamId);
		log.debug("Accepted {} as stream {}", message, streamId);
		return new Response(reply(streamId, started, nonce), "accepted");
	}

	private WeComBotStream start(ChannelMessage message, String streamId) {
		WeComBotStreamWriter writer = new WeComBotStreamWriter(streamId, message.receivedAtMillis(),
				(state) -> this.streams.write(streamId, state), this.flushes, STORE_INTERVAL, System::nanoTime);
		try {
			this.conversations.askStreaming(message.inquiry(), writer);
		}
		catch (JedisException ex) {
			// The context could not be read: let WeCom deliver the message again.
			forget(message, streamId, ex);
			throw ex;
		}
		catch (RuntimeException ex) {
			writer.onError(ex);
		}
		return writer.current();
	}

	private void forget(ChannelMessage message, String streamId, JedisException failure) {
		try {
			this.deduplicator.release(NAME, message.messageId());
			this.streams.delete(streamId);
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
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

	private ChannelMessage message(WeComBotCallback callback, String text) {
		String msgId = required(callback.msgId(), "msgid");
		String aibotId = required(callback.aibotId(), "aibotid");
		String userId = required(callback.userId(), "from.userid");
		return new ChannelMessage(NAME, msgId, conversationId(aibotId, callback.chatId(), userId), userId, text,
				Map.of(), this.clock.millis());
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
		return NAME + ":" + aibotId + ":" + (group ? chatId + ":" + userId : userId);
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

	/**
	 * Stop the trailing flushes; streams in flight still end with their final store.
	 */
	@Override
	public void close() {
		this.flushes.shutdown();
		try {
			this.flushes.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The response to a POST callback.
	 *
	 * @param json the encrypted stream reply, {@code null} for an empty 200 (the callback
	 * is acknowledged and ignored)
	 * @param outcome what the callback counts as ({@code accepted}, {@code duplicate},
	 * {@code ignored}), {@code null} for a stream refresh (not a message)
	 */
	public record Response(String json, String outcome) {
	}

}
