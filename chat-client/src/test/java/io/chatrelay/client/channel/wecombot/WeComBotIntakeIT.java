package io.chatrelay.client.channel.wecombot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatrelay.client.TestRedis;
import io.chatrelay.client.conversation.Inquiry;
import io.chatrelay.client.dispatch.Apology;
import io.chatrelay.client.dispatch.MessageAnswerer;
import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxProperties;
import io.chatrelay.client.intake.MessageIntake;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bot's intake against a real redis-server and the real inbox: a message is stored
 * with its stream id before the callback is answered, nobody is asked on the request
 * thread, duplicates rejoin the first delivery's stream and a full backlog ends the new
 * stream with the busy apology at once.
 */
class WeComBotIntakeIT {

	private static final String TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";

	private static final String KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

	private static final WxCryptUtil WECOM = new WxCryptUtil(TOKEN, KEY, "");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final List<Inquiry> asked = new CopyOnWriteArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final WeComBotStreams streams = new WeComBotStreams(jedis, "acme", Duration.ofMinutes(10));

	private final WeComBotResponder responder = new WeComBotResponder(this.streams,
			(inquiry, listener) -> this.asked.add(inquiry), Duration.ofSeconds(330), Duration.ofMinutes(2),
			Clock.systemUTC());

	@BeforeAll
	static void startRedis() throws IOException {
		redis = TestRedis.start();
		jedis = redis.client();
	}

	@AfterAll
	static void stopRedis() throws IOException {
		jedis.close();
		redis.close();
	}

	@AfterEach
	void flush() {
		this.responder.close();
		jedis.flushAll();
	}

	@Test
	void aMessageIsStoredWithItsStreamBeforeTheCallbackIsAnswered() throws Exception {
		WeComBotChannel channel = channel(100);

		Reply reply = receive(channel, callback("m1", "hello bot"));

		assertThat(reply.finish()).isFalse();
		assertThat(reply.content()).isEmpty();
		List<StreamEntry> inbox = jedis.xrange("cr:{acme}:inbox", (StreamEntryID) null, null);
		assertThat(inbox).singleElement().satisfies((entry) -> {
			assertThat(entry.getFields()).containsEntry("channel", "wecom-bot")
				.containsEntry("messageId", "m1")
				.containsEntry("text", "hello bot")
				.containsEntry("reply.stream", reply.id());
		});
		assertThat(jedis.get("cr:{acme}:seen:wecom-bot:m1")).isEqualTo(reply.id());
		assertThat(this.streams.read(reply.id())).hasValueSatisfying((stream) -> assertThat(stream.finish()).isFalse());
		assertThat(this.asked).as("answered by a worker, not on the request thread").isEmpty();
		assertThat(callbacks("accepted")).isEqualTo(1);
	}

	@Test
	void aDuplicateRejoinsTheFirstDeliverysStreamAndLeavesNoStreamBehind() throws Exception {
		WeComBotChannel channel = channel(100);
		Reply first = receive(channel, callback("m1", "hello bot"));
		this.streams.write(first.id(), new WeComBotStream("Hel", false, System.currentTimeMillis()));

		Reply again = receive(channel, callback("m1", "hello bot"));

		assertThat(again).isEqualTo(new Reply(first.id(), false, "Hel"));
		assertThat(jedis.keys("cr:{acme}:bot:stream:*")).containsExactly("cr:{acme}:bot:stream:" + first.id());
		assertThat(jedis.xlen("cr:{acme}:inbox")).isEqualTo(1);
		assertThat(callbacks("duplicate")).isEqualTo(1);
	}

	@Test
	void aFullBacklogEndsTheNewStreamWithTheBusyApologyAtOnce() throws Exception {
		WeComBotChannel channel = channel(1);
		receive(channel, callback("m1", "first"));

		Reply busy = receive(channel, callback("m2", "second"));

		assertThat(busy.finish()).isTrue();
		assertThat(busy.content()).isEqualTo(Apology.BUSY);
		assertThat(jedis.xlen("cr:{acme}:inbox")).isEqualTo(1);
		assertThat(receive(channel, callback("m2", "second"))).as("a redelivery sees the same").isEqualTo(busy);
		assertThat(callbacks("busy")).isEqualTo(1);
		assertThat(this.meters.get("chat.client.replies")
			.tag("channel", "wecom-bot")
			.tag("outcome", "busy")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void aMessageWithoutTextIsIgnoredAndNothingIsStored() throws Exception {
		WeComBotChannel channel = channel(100);
		ObjectNode image = message("m1", null);
		image.put("msgtype", "image");

		WxCryptUtil.EncryptContext context = WECOM.encryptContext(JSON.writeValueAsString(image));
		String response = channel.receive(context.getSignature(), context.getTimeStamp(), context.getNonce(),
				JSON.createObjectNode()
					.put("encrypt", context.getEncrypt())
					.toString()
					.getBytes(StandardCharsets.UTF_8));

		assertThat(response).isNull();
		assertThat(jedis.keys("*")).isEmpty();
		assertThat(callbacks("ignored")).isEqualTo(1);
	}

	private WeComBotChannel channel(int maxBacklog) {
		Inbox inbox = new Inbox(jedis, "acme", new InboxProperties(8, maxBacklog, Duration.ofSeconds(60), 5,
				Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(2), 16, Duration.ofDays(7)));
		MessageAnswerer answerer = new MessageAnswerer(List.of(this.responder), this.meters);
		WeComBotProperties properties = new WeComBotProperties(TOKEN, KEY, Duration.ofHours(1), Duration.ofHours(2),
				Duration.ofMinutes(10), Duration.ofSeconds(330), 131072);
		return new WeComBotChannel(properties, JSON, this.streams, new MessageIntake(inbox, answerer, this.meters),
				Clock.systemUTC());
	}

	private double callbacks(String outcome) {
		var counter = this.meters.find("chat.client.callbacks").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static ObjectNode message(String msgId, String text) {
		ObjectNode message = JSON.createObjectNode().put("msgid", msgId).put("aibotid", "AIBOT");
		message.put("chattype", "single");
		message.putObject("from").put("userid", "zhangsan");
		message.put("msgtype", "text");
		if (text != null) {
			message.putObject("text").put("content", text);
		}
		return message;
	}

	private static WxCryptUtil.EncryptContext callback(String msgId, String text) throws Exception {
		return WECOM.encryptContext(JSON.writeValueAsString(message(msgId, text)));
	}

	private static Reply receive(WeComBotChannel channel, WxCryptUtil.EncryptContext context) throws Exception {
		String response = channel.receive(context.getSignature(), context.getTimeStamp(), context.getNonce(),
				JSON.createObjectNode()
					.put("encrypt", context.getEncrypt())
					.toString()
					.getBytes(StandardCharsets.UTF_8));
		JsonNode envelope = JSON.readTree(response);
		JsonNode stream = JSON.readTree(WECOM.decryptContent(envelope.get("msgsignature").asText(),
				envelope.get("timestamp").asText(), envelope.get("nonce").asText(), envelope.get("encrypt").asText()))
			.get("stream");
		return new Reply(stream.get("id").asText(), stream.get("finish").asBoolean(), stream.get("content").asText());
	}

	private record Reply(String id, boolean finish, String content) {
	}

}
