package io.chatrelay.client.channel.wecombot;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.client.TestRedis;
import io.chatrelay.client.conversation.AnswerListener;
import io.chatrelay.client.conversation.Inquiry;
import io.chatrelay.client.dispatch.Apology;
import io.chatrelay.client.dispatch.ChannelResponder.Answered;
import io.chatrelay.client.dispatch.ChannelResponder.Result;
import io.chatrelay.client.inbox.ChannelMessage;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bot's answering side, as an inbox worker runs it, against a real redis-server: the
 * answer is streamed into the message's stream, the outcome tells the inbox whether to
 * finish or retry, and the stream deadline is respected.
 */
class WeComBotResponderIT {

	private static final Duration DEADLINE = Duration.ofSeconds(330);

	private static TestRedis redis;

	private static JedisPooled jedis;

	private final WeComBotStreams streams = new WeComBotStreams(jedis, "acme", Duration.ofMinutes(10));

	private final List<Inquiry> asked = new CopyOnWriteArrayList<>();

	private WeComBotResponder responder;

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

	@BeforeEach
	void flush() {
		jedis.flushAll();
	}

	@AfterEach
	void close() {
		if (this.responder != null) {
			this.responder.close();
		}
	}

	@Test
	void streamsTheAnswerIntoTheMessagesStreamAndIsDeliveredWhenItIsFinal() {
		ChannelMessage message = accepted("s1", System.currentTimeMillis());
		this.responder = responder((inquiry, listener) -> {
			listener.onDelta("Hel");
			listener.onDelta("lo");
			listener.onComplete(reply("Hello"));
		});

		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.answered());

		assertThat(this.streams.read("s1")).contains(new WeComBotStream("Hello", true, message.receivedAtMillis()));
		assertThat(this.asked).singleElement()
			.satisfies((inquiry) -> assertThat(inquiry.text()).isEqualTo("what time is it"));
	}

	@Test
	void noProviderReachableLeavesTheStreamUnfinishedAndARetryStartsItFromEmpty() {
		ChannelMessage message = accepted("s1", System.currentTimeMillis());
		this.responder = responder((inquiry, listener) -> {
			listener.onDelta("half an ans");
			listener.onError(new RpcException(RpcException.NETWORK_EXCEPTION, "No provider available"));
		});

		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.RETRY_LATER);
		assertThat(this.streams.read("s1")).hasValueSatisfying((stream) -> assertThat(stream.finish()).isFalse());

		List<WeComBotStream> seenAtRetry = new CopyOnWriteArrayList<>();
		this.responder.close();
		this.responder = responder((inquiry, listener) -> {
			seenAtRetry.add(this.streams.read("s1").orElseThrow());
			listener.onComplete(reply("the answer"));
		});
		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.answered());
		assertThat(seenAtRetry).containsExactly(WeComBotStream.started(message.receivedAtMillis()));
		assertThat(this.streams.read("s1"))
			.contains(new WeComBotStream("the answer", true, message.receivedAtMillis()));
	}

	@Test
	void aVendorFailureEndsTheStreamWithItsApology() {
		ChannelMessage message = accepted("s1", System.currentTimeMillis());
		this.responder = responder(
				(inquiry, listener) -> listener.onError(new ChatException(ChatErrorCode.CONTENT_FILTERED, "blocked")));

		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.apologised());

		assertThat(this.streams.read("s1"))
			.contains(new WeComBotStream(Apology.FILTERED, true, message.receivedAtMillis()));
	}

	@Test
	void aStreamAlreadyFinalIsNotAnsweredTwice() {
		ChannelMessage message = accepted("s1", System.currentTimeMillis());
		this.streams.write("s1", new WeComBotStream("answered before a crash", true, message.receivedAtMillis()));
		this.responder = responder((inquiry, listener) -> listener.onComplete(reply("again")));

		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.answered());

		assertThat(this.asked).isEmpty();
		assertThat(this.streams.read("s1"))
			.hasValueSatisfying((stream) -> assertThat(stream.content()).isEqualTo("answered before a crash"));
	}

	@Test
	void aMessageReachingAWorkerAfterTheStreamDeadlineIsNotAsked() {
		long received = System.currentTimeMillis() - DEADLINE.toMillis() - 1000;
		ChannelMessage message = accepted("s1", received);
		this.responder = responder((inquiry, listener) -> listener.onComplete(reply("too late")));

		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.apologised());

		assertThat(this.asked).isEmpty();
		assertThat(this.streams.read("s1").orElseThrow().asOf(System.currentTimeMillis(), DEADLINE).content())
			.isEqualTo(WeComBotStream.DEADLINE_NOTE.strip());
	}

	@Test
	void anAnswerThatNeverEndsIsRetriedAfterTheAnswerTimeout() {
		ChannelMessage message = accepted("s1", System.currentTimeMillis());
		List<AnswerListener> listeners = new CopyOnWriteArrayList<>();
		this.responder = new WeComBotResponder(this.streams, record(listeners::add), DEADLINE, Duration.ofMillis(200),
				Clock.systemUTC());

		long started = System.nanoTime();
		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.RETRY_LATER);

		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(150L, 5000L);
		listeners.get(0).onComplete(reply("late answer of an abandoned attempt"));
		assertThat(this.streams.read("s1")).contains(WeComBotStream.started(message.receivedAtMillis()));
	}

	@Test
	void anAnswerStillRunningAtTheStreamDeadlineEndsTheAttempt() {
		long received = System.currentTimeMillis() - DEADLINE.toMillis() + 300;
		ChannelMessage message = accepted("s1", received);
		this.responder = responder((inquiry, listener) -> listener.onDelta("slow"));

		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.apologised());

		WeComBotStream shown = this.streams.read("s1").orElseThrow().asOf(System.currentTimeMillis(), DEADLINE);
		assertThat(shown.finish()).isTrue();
		assertThat(shown.content()).isEqualTo("slow" + WeComBotStream.DEADLINE_NOTE);
	}

	@Test
	void anApologyIsTheStreamsFinalContentUnlessTheDeadlinePassed() {
		ChannelMessage fresh = accepted("s1", System.currentTimeMillis());
		ChannelMessage old = accepted("s2", System.currentTimeMillis() - DEADLINE.toMillis() - 1);
		this.responder = responder((inquiry, listener) -> listener.onComplete(reply("unused")));

		assertThat(this.responder.apologise(fresh, Apology.BUSY).join()).isEqualTo(Result.DELIVERED);
		assertThat(this.responder.apologise(old, Apology.BUSY).join()).isEqualTo(Result.DELIVERED);

		assertThat(this.streams.read("s1")).contains(new WeComBotStream(Apology.BUSY, true, fresh.receivedAtMillis()));
		assertThat(this.streams.read("s2").orElseThrow().finish()).as("left as it was").isFalse();
	}

	@Test
	void redisDownMeansRetryLater() throws IOException {
		ChannelMessage message = accepted("s1", System.currentTimeMillis());
		try (JedisPooled down = new JedisPooled("127.0.0.1", freePort())) {
			WeComBotResponder unreachable = new WeComBotResponder(
					new WeComBotStreams(down, "acme", Duration.ofMinutes(10)),
					record((listener) -> listener.onComplete(reply("x"))), DEADLINE, Duration.ofMinutes(2),
					Clock.systemUTC());
			try {
				assertThat(unreachable.answer(message).join()).isEqualTo(Answered.RETRY_LATER);
				assertThat(unreachable.apologise(message, Apology.BUSY).join()).isEqualTo(Result.RETRY_LATER);
			}
			finally {
				unreachable.close();
			}
		}
	}

	@Test
	void aMessageWithoutAStreamCannotBeAnswered() {
		ChannelMessage message = new ChannelMessage(WeComBotChannel.NAME, "m1", "wecom-bot:bot:u1", "u1", "hi",
				Map.of(), System.currentTimeMillis());
		this.responder = responder((inquiry, listener) -> listener.onComplete(reply("x")));

		assertThat(this.responder.answer(message).join()).isEqualTo(Answered.FAILED);
		assertThat(this.responder.apologise(message, Apology.BUSY).join()).isEqualTo(Result.FAILED);
		assertThat(this.asked).isEmpty();
	}

	private WeComBotResponder responder(BiConsumer<Inquiry, AnswerListener> answer) {
		return new WeComBotResponder(this.streams, (inquiry, listener) -> {
			this.asked.add(inquiry);
			answer.accept(inquiry, listener);
		}, DEADLINE, Duration.ofMinutes(2), Clock.systemUTC());
	}

	private BiConsumer<Inquiry, AnswerListener> record(java.util.function.Consumer<AnswerListener> answer) {
		return (inquiry, listener) -> {
			this.asked.add(inquiry);
			answer.accept(listener);
		};
	}

	/** A message as the channel accepted it: its stream started. */
	private ChannelMessage accepted(String streamId, long receivedAt) {
		this.streams.write(streamId, WeComBotStream.started(receivedAt));
		return new ChannelMessage(WeComBotChannel.NAME, "msg-" + streamId, "wecom-bot:bot:u1", "u1", "what time is it",
				Map.of(WeComBotResponder.STREAM, streamId), receivedAt);
	}

	private static ChatReply reply(String text) {
		return new ChatReply(text, "openai", "gpt-4o-mini", ChatRoute.PRIMARY, "stop", TokenUsage.UNKNOWN, 10);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
