package io.chatrelay.client.channel.wecombot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRoute;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.client.dispatch.Apology;
import io.chatrelay.client.dispatch.ChannelResponder.Answered;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class WeComBotStreamWriterTest {

	private static final long STARTED = 1_700_000_000_000L;

	private static final Duration INTERVAL = Duration.ofMillis(100);

	private final List<WeComBotStream> stored = new CopyOnWriteArrayList<>();

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Test
	void storesTheFirstDeltaAtOnceAndTheFullAnswerAsFinal() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onDelta("Hel");
		writer.onDelta("lo, ");
		writer.onDelta("wor");
		writer.onDelta("ld!");
		writer.onComplete(reply("Hello, world!"));

		assertThat(this.stored).containsExactly(new WeComBotStream("Hel", false, STARTED),
				new WeComBotStream("Hello, world!", true, STARTED));
		assertThat(writer.ended()).isCompletedWithValue(Answered.answered());
	}

	@Test
	void anAttemptEndsOnlyOnceTheFinalStateIsStored() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onDelta("Hel");

		assertThat(writer.ended()).isNotDone();
		writer.onComplete(reply("Hello"));
		assertThat(writer.ended()).isCompletedWithValue(Answered.answered());
	}

	@Test
	void storesAtMostOncePerIntervalWhileDeltasArrive() {
		// No trailing flushes here: only the deltas' own clock decides.
		ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
		stopped.shutdown();
		WeComBotStreamWriter writer = new WeComBotStreamWriter("s1", STARTED, this.stored::add, stopped, INTERVAL,
				this.nanos::get);
		writer.onDelta("a");
		for (int i = 0; i < 50; i++) {
			this.nanos.addAndGet(Duration.ofMillis(10).toNanos());
			writer.onDelta("b");
		}

		// 500 ms of deltas every 10 ms: the first at once, then one per 100 ms.
		assertThat(this.stored).hasSize(6);
		assertThat(this.stored).allSatisfy((stream) -> assertThat(stream.finish()).isFalse());
		assertThat(this.stored.get(5).content()).isEqualTo("a" + "b".repeat(50));
	}

	@Test
	void aDeltaInsideTheIntervalIsFlushedWhenTheIntervalEnds() throws Exception {
		WeComBotStreamWriter writer = new WeComBotStreamWriter("s1", STARTED, this.stored::add, this.scheduler,
				Duration.ofMillis(20), System::nanoTime);

		writer.onDelta("first");
		writer.onDelta(" second");

		awaitStored(2);
		assertThat(this.stored.get(1)).isEqualTo(new WeComBotStream("first second", false, STARTED));
	}

	@Test
	void aLateFlushNeverOverwritesTheFinalState() throws Exception {
		WeComBotStreamWriter writer = new WeComBotStreamWriter("s1", STARTED, this.stored::add, this.scheduler,
				Duration.ofMillis(50), System::nanoTime);

		writer.onDelta("first");
		writer.onDelta(" second");
		writer.onComplete(reply("first second third"));
		Thread.sleep(200);

		assertThat(this.stored).containsExactly(new WeComBotStream("first", false, STARTED),
				new WeComBotStream("first second third", true, STARTED));
	}

	@Test
	void aFailureShowsTheApologyForItsCause() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onDelta("partial");
		writer.onError(new CompletionException(new ChatException(ChatErrorCode.CONTENT_FILTERED, "blocked")));

		assertThat(this.stored).last().isEqualTo(new WeComBotStream(Apology.FILTERED, true, STARTED));
		assertThat(writer.ended()).isCompletedWithValue(Answered.apologised());
	}

	@Test
	void noProviderReachableLeavesTheStreamUnfinishedForARetry() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onDelta("partial");
		writer.onError(new CompletionException(new RpcException(RpcException.NETWORK_EXCEPTION, "no provider")));
		writer.onComplete(reply("too late"));

		assertThat(this.stored).containsExactly(new WeComBotStream("partial", false, STARTED));
		assertThat(writer.ended()).isCompletedWithValue(Answered.RETRY_LATER);
	}

	@Test
	void redisFailingOrTheAnswerDeadlinePassingAreRetriedToo() {
		WeComBotStreamWriter redisDown = writer(Duration.ofHours(1));
		WeComBotStreamWriter tooSlow = writer(Duration.ofHours(1));

		redisDown.onError(new JedisConnectionException("down"));
		tooSlow.onError(new TimeoutException());

		assertThat(this.stored).isEmpty();
		assertThat(redisDown.ended()).isCompletedWithValue(Answered.RETRY_LATER);
		assertThat(tooSlow.ended()).isCompletedWithValue(Answered.RETRY_LATER);
	}

	@Test
	void aDubboTimeoutIsAnsweredWithAnApologyNotRetried() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onError(new RpcException(RpcException.TIMEOUT_EXCEPTION, "timeout"));

		assertThat(this.stored).containsExactly(new WeComBotStream(Apology.BUSY, true, STARTED));
		assertThat(writer.ended()).isCompletedWithValue(Answered.apologised());
	}

	@Test
	void aBlankAnswerShowsTheGenericApology() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onComplete(reply(" "));

		assertThat(this.stored).containsExactly(new WeComBotStream(Apology.FAILED, true, STARTED));
		assertThat(writer.ended()).isCompletedWithValue(Answered.apologised());
	}

	@Test
	void anAttemptGivenUpStoresNothingMore() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));
		writer.onDelta("slow");

		assertThat(writer.giveUp(Answered.RETRY_LATER)).isTrue();
		writer.onDelta(" answer");
		writer.onComplete(reply("slow answer"));

		assertThat(writer.giveUp(Answered.apologised())).as("once").isFalse();
		assertThat(this.stored).containsExactly(new WeComBotStream("slow", false, STARTED));
		assertThat(writer.ended()).isCompletedWithValue(Answered.RETRY_LATER);
	}

	@Test
	void anUnknownFailureShowsTheGenericApology() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onError(new IllegalStateException("boom"));

		assertThat(this.stored).containsExactly(new WeComBotStream(Apology.FAILED, true, STARTED));
	}

	@Test
	void nothingIsStoredAfterTheEnd() {
		WeComBotStreamWriter writer = writer(Duration.ofHours(1));

		writer.onComplete(reply("done"));
		writer.onDelta("late");
		writer.onError(new IllegalStateException("late"));
		writer.onComplete(reply("again"));

		assertThat(this.stored).containsExactly(new WeComBotStream("done", true, STARTED));
	}

	@Test
	void contentStopsGrowingAtTheStreamLimit() {
		WeComBotStreamWriter writer = writer(Duration.ZERO);

		for (int i = 0; i < 8000; i++) {
			writer.onDelta("字");
		}

		WeComBotStream last = this.stored.get(this.stored.size() - 1);
		assertThat(last.content().getBytes(StandardCharsets.UTF_8)).hasSize(WeComBotCodec.MAX_STREAM_CONTENT_BYTES - 2);
		assertThat(this.stored).hasSizeLessThan(6900);
	}

	@Test
	void anIntermediateStoreThatFailsDoesNotReachTheCaller() {
		List<WeComBotStream> attempts = new CopyOnWriteArrayList<>();
		WeComBotStreamWriter writer = new WeComBotStreamWriter("s1", STARTED, (stream) -> {
			attempts.add(stream);
			if (!stream.finish()) {
				throw new JedisConnectionException("down");
			}
		}, this.scheduler, Duration.ofHours(1), this.nanos::get);

		writer.onDelta("a");
		writer.onComplete(reply("ab"));

		assertThat(attempts).hasSize(2);
		assertThat(writer.ended()).isCompletedWithValue(Answered.answered());
	}

	@Test
	void aFinalStoreThatFailsIsRetriedLater() {
		WeComBotStreamWriter writer = new WeComBotStreamWriter("s1", STARTED, (stream) -> {
			throw new JedisConnectionException("down");
		}, this.scheduler, Duration.ofHours(1), this.nanos::get);

		writer.onDelta("a");
		writer.onComplete(reply("ab"));

		assertThat(writer.ended()).isCompletedWithValue(Answered.RETRY_LATER);
	}

	private WeComBotStreamWriter writer(Duration interval) {
		return new WeComBotStreamWriter("s1", STARTED, this.stored::add, this.scheduler, interval, this.nanos::get);
	}

	private void awaitStored(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.stored.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.stored).hasSizeGreaterThanOrEqualTo(count);
	}

	private static ChatReply reply(String text) {
		return new ChatReply(text, "openai", "gpt-4o-mini", ChatRoute.PRIMARY, "stop", TokenUsage.UNKNOWN, 10);
	}

}
