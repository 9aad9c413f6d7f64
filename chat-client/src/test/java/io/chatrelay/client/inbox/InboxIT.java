package io.chatrelay.client.inbox;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.chatrelay.client.TestRedis;
import io.chatrelay.client.inbox.ChannelInbox.Acceptance;
import io.chatrelay.client.inbox.ChannelInbox.Intake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamConsumersInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox's Redis semantics against a real redis-server: atomic intake with dedupe and
 * backlog limit, order numbers per conversation, acknowledgement, take-over of a dead
 * consumer's entries, dead letters and replay.
 */
class InboxIT {

	private static final Duration TTL = Duration.ofMinutes(10);

	private static TestRedis redis;

	private static JedisPooled jedis;

	private Inbox inbox = inbox(100);

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
		this.inbox.ensureGroup();
	}

	@Test
	void acceptsOnceNumbersEachConversationAndKeepsTheMessageWhole() {
		assertThat(this.inbox.accept(message("m1", "conv-a", "你好"), TTL)).isEqualTo(Intake.QUEUED);
		assertThat(this.inbox.accept(message("m1", "conv-a", "你好"), TTL)).isEqualTo(Intake.DUPLICATE);
		assertThat(this.inbox.accept(message("m2", "conv-b", "other"), TTL)).isEqualTo(Intake.QUEUED);
		assertThat(this.inbox.accept(message("m3", "conv-a", "second"), TTL)).isEqualTo(Intake.QUEUED);

		List<InboxEntry> entries = this.inbox.read("node-1", 10, Duration.ofMillis(100));

		assertThat(entries).extracting((entry) -> entry.message().messageId() + "#" + entry.seq())
			.containsExactly("m1#1", "m2#1", "m3#2");
		assertThat(entries.get(0).message()).isEqualTo(message("m1", "conv-a", "你好"));
		assertThat(jedis.ttl("cr:{acme}:seen:wecom:m1")).isBetween(590L, 600L);
	}

	@Test
	void aDuplicateGetsTheValueTheFirstDeliveryRemembered() {
		ChannelMessage first = message("m1", "conv-a", "你好");

		assertThat(this.inbox.accept(first, TTL, "stream-1")).isEqualTo(new Acceptance(Intake.QUEUED, "stream-1"));
		assertThat(this.inbox.accept(first, TTL, "stream-2")).as("another node's delivery, with its own value")
			.isEqualTo(new Acceptance(Intake.DUPLICATE, "stream-1"));
		assertThat(jedis.get("cr:{acme}:seen:wecom:m1")).isEqualTo("stream-1");
		assertThat(jedis.xlen("cr:{acme}:inbox")).isEqualTo(1);
		assertThat(this.inbox.read("node-1", 10, Duration.ofMillis(100))).singleElement()
			.satisfies((entry) -> assertThat(entry.message()).isEqualTo(first));
	}

	@Test
	void channelsWithoutAValueRememberOne() {
		assertThat(this.inbox.accept(message("m1", "conv-a", "1"), TTL)).isEqualTo(Intake.QUEUED);

		assertThat(jedis.get("cr:{acme}:seen:wecom:m1")).isEqualTo("1");
		assertThat(this.inbox.accept(message("m1", "conv-a", "1"), TTL, "other"))
			.isEqualTo(new Acceptance(Intake.DUPLICATE, "1"));
	}

	@Test
	void aFullBacklogRemembersTheValueForTheRetries() {
		Inbox small = inbox(1);
		small.accept(message("m1", "c", "1"), TTL);

		assertThat(small.accept(message("m2", "c", "2"), TTL, "stream-busy"))
			.isEqualTo(new Acceptance(Intake.BUSY, "stream-busy"));
		assertThat(small.accept(message("m2", "c", "2"), TTL, "stream-later"))
			.isEqualTo(new Acceptance(Intake.DUPLICATE, "stream-busy"));
		assertThat(jedis.xlen("cr:{acme}:inbox")).isEqualTo(1);
	}

	@Test
	void aFullBacklogClaimsTheMessageButDoesNotQueueIt() {
		Inbox small = inbox(2);
		small.accept(message("m1", "c", "1"), TTL);
		small.accept(message("m2", "c", "2"), TTL);

		assertThat(small.accept(message("m3", "c", "3"), TTL)).isEqualTo(Intake.BUSY);
		assertThat(small.accept(message("m3", "c", "3"), TTL)).as("its retries are duplicates")
			.isEqualTo(Intake.DUPLICATE);
		assertThat(jedis.xlen("cr:{acme}:inbox")).isEqualTo(2);
	}

	@Test
	void completingAnEntryMovesItsConversationOnAndRemovesIt() {
		this.inbox.accept(message("m1", "conv-a", "1"), TTL);
		this.inbox.accept(message("m2", "conv-a", "2"), TTL);
		List<InboxEntry> entries = this.inbox.read("node-1", 10, Duration.ofMillis(100));
		assertThat(this.inbox.done("conv-a")).isZero();

		this.inbox.complete(entries.get(0));

		assertThat(this.inbox.done("conv-a")).isEqualTo(1);
		assertThat(this.inbox.stats().length()).isEqualTo(1);
		assertThat(this.inbox.stats().pending()).isEqualTo(1);
		this.inbox.complete(entries.get(0));
		assertThat(this.inbox.done("conv-a")).as("completing twice changes nothing").isEqualTo(1);
		this.inbox.complete(entries.get(1));
		assertThat(this.inbox.done("conv-a")).isEqualTo(2);
		assertThat(this.inbox.stats()).isEqualTo(new Inbox.Stats(0, 0, 0, 0));
	}

	@Test
	void readsTheProgressOfABatchsConversationsAtOnce() {
		this.inbox.accept(message("m1", "conv-a", "1"), TTL);
		this.inbox.accept(message("m2", "conv-a", "2"), TTL);
		this.inbox.accept(message("m3", "conv-b", "1"), TTL);
		List<InboxEntry> entries = this.inbox.read("node-1", 10, Duration.ofMillis(100));
		this.inbox.complete(entries.get(0));
		this.inbox.complete(entries.get(1));
		this.inbox.complete(entries.get(2));
		this.inbox.accept(message("m4", "conv-a", "3"), TTL);

		assertThat(this.inbox.done(List.of("conv-a", "conv-b", "conv-new", "conv-a")))
			.containsExactlyInAnyOrderEntriesOf(Map.of("conv-a", 2L, "conv-b", 1L, "conv-new", 0L));
		assertThat(this.inbox.done(List.of())).isEmpty();
	}

	@Test
	void anotherNodeTakesOverEntriesLeftIdleButNotTouchedOnes() throws InterruptedException {
		this.inbox.accept(message("m1", "c1", "1"), TTL);
		this.inbox.accept(message("m2", "c2", "2"), TTL);
		List<InboxEntry> held = this.inbox.read("dead-node", 10, Duration.ofMillis(100));
		Thread.sleep(300);
		this.inbox.touch("dead-node", List.of(held.get(1).id()));

		List<InboxEntry> taken = this.inbox.claimIdle("live-node", Duration.ofMillis(250), 10);

		assertThat(taken).extracting((entry) -> entry.message().messageId()).containsExactly("m1");
		assertThat(this.inbox.read("live-node", 10, Duration.ofMillis(50))).as("nothing new").isEmpty();
	}

	@Test
	void anEntryRedisNoLongerHasDoesNotMoveTheOrderOfNewMessages() {
		this.inbox.accept(message("m1", "conv-a", "1"), TTL);
		this.inbox.accept(message("m2", "conv-a", "2"), TTL);
		this.inbox.accept(message("m3", "conv-a", "3"), TTL);
		List<InboxEntry> held = this.inbox.read("node-1", 10, Duration.ofMillis(100));
		jedis.flushAll();
		this.inbox.ensureGroup();
		this.inbox.accept(message("n1", "conv-a", "new"), TTL);

		this.inbox.complete(held.get(2));

		assertThat(this.inbox.done("conv-a")).as("an old number 3 must not mark new message 1 done").isZero();
		InboxEntry fresh = this.inbox.read("node-1", 10, Duration.ofMillis(100)).get(0);
		assertThat(fresh.seq()).isEqualTo(1);
		this.inbox.complete(fresh);
		assertThat(this.inbox.done("conv-a")).isEqualTo(1);
	}

	@Test
	void anUnreadableEntryGoesToTheDeadLettersInsteadOfStayingPendingForever() {
		jedis.xadd("cr:{acme}:inbox", StreamEntryID.NEW_ENTRY, Map.of("garbage", "x"));
		this.inbox.accept(message("m1", "c1", "fine"), TTL);

		List<InboxEntry> read = this.inbox.read("node-1", 10, Duration.ofMillis(100));

		assertThat(read).extracting((entry) -> entry.message().messageId()).containsExactly("m1");
		assertThat(this.inbox.deadLetters().list(10)).singleElement()
			.satisfies((dead) -> assertThat(dead.getFields()).containsEntry("garbage", "x")
				.hasEntrySatisfying("reason", (reason) -> assertThat(reason).startsWith("unreadable")));
		assertThat(this.inbox.stats().pending()).isEqualTo(1);
		assertThat(this.inbox.stats().length()).isEqualTo(1);
	}

	@Test
	void aLeavingNodeHandsItsEntriesBackForAnImmediateTakeOverAndLeavesTheGroup() {
		this.inbox.accept(message("m1", "c1", "1"), TTL);
		this.inbox.accept(message("m2", "c2", "2"), TTL);
		this.inbox.accept(message("m3", "c3", "3"), TTL);
		assertThat(this.inbox.read("leaving-node", 10, Duration.ofMillis(100))).hasSize(3);

		assertThat(this.inbox.leave("leaving-node", Duration.ofSeconds(60))).isEqualTo(3);

		assertThat(consumers()).doesNotContain("leaving-node");
		assertThat(this.inbox.claimIdle("live-node", Duration.ofSeconds(60), 10))
			.as("taken over at once, although the claim timeout is a minute")
			.extracting((entry) -> entry.message().messageId())
			.containsExactly("m1", "m2", "m3");
		assertThat(this.inbox.stats().pending()).isEqualTo(3);
	}

	@Test
	void reapingDeletesOnlyConsumersThatHoldNothingAndHaveBeenIdle() throws InterruptedException {
		this.inbox.accept(message("m1", "c1", "1"), TTL);
		assertThat(this.inbox.read("holding-node", 10, Duration.ofMillis(50))).hasSize(1);
		// (Redis 6.2 creates a consumer on its first delivery, not on an empty read.)
		jedis.xgroupCreateConsumer("cr:{acme}:inbox", Inbox.GROUP, "empty-node");
		Thread.sleep(300);
		jedis.xgroupCreateConsumer("cr:{acme}:inbox", Inbox.GROUP, "fresh-node");

		assertThat(this.inbox.reap(Duration.ofMillis(250))).isEqualTo(1);

		assertThat(consumers()).containsExactlyInAnyOrder("holding-node", "fresh-node");
		assertThat(this.inbox.stats().pending()).isEqualTo(1);
	}

	private static List<String> consumers() {
		return jedis.xinfoConsumers("cr:{acme}:inbox", Inbox.GROUP).stream().map(StreamConsumersInfo::getName).toList();
	}

	@Test
	void aDeadLetterFinishesTheEntryAndCanBeReplayedAsANewMessage() {
		this.inbox.accept(message("m1", "conv-a", "lost question"), TTL);
		InboxEntry entry = this.inbox.read("node-1", 1, Duration.ofMillis(100)).get(0);
		assertThat(this.inbox.attempt(entry)).isEqualTo(1);
		assertThat(this.inbox.attempt(entry)).isEqualTo(2);

		this.inbox.deadLetters().deadLetter(entry, "not answered after 2 attempts");

		assertThat(this.inbox.done("conv-a")).isEqualTo(1);
		assertThat(this.inbox.stats()).isEqualTo(new Inbox.Stats(0, 0, 0, 1));
		var dead = this.inbox.deadLetters().list(10);
		assertThat(dead).hasSize(1);
		assertThat(dead.get(0).getFields()).containsEntry("reason", "not answered after 2 attempts")
			.containsEntry("text", "lost question");

		assertThat(this.inbox.deadLetters().replay(dead.get(0).getID().toString())).isTrue();
		assertThat(this.inbox.deadLetters().replay(dead.get(0).getID().toString())).isFalse();

		InboxEntry replayed = this.inbox.read("node-1", 1, Duration.ofMillis(100)).get(0);
		assertThat(replayed.seq()).isEqualTo(2);
		assertThat(replayed.message().text()).isEqualTo("lost question");
		assertThat(this.inbox.stats().deadLetters()).isZero();
	}

	@Test
	void deadLettersKeepTheNewestUpToTheirMaximumAndNoneOlderThanTheirMaximumAge() throws InterruptedException {
		Inbox bounded = new Inbox(jedis, "acme",
				new InboxProperties(8, 0, Duration.ofSeconds(60), 5, Duration.ofMinutes(10), Duration.ofSeconds(2),
						Duration.ofSeconds(2), 16, Duration.ofDays(7), 3, Duration.ofMillis(400)));
		for (int i = 1; i <= 5; i++) {
			bounded.accept(message("m" + i, "conv-" + i, "question " + i), TTL);
		}
		for (InboxEntry entry : bounded.read("node-1", 5, Duration.ofMillis(100))) {
			bounded.deadLetters().deadLetter(entry, "failed");
		}

		assertThat(bounded.deadLetters().list(10)).extracting((dead) -> dead.getFields().get("messageId"))
			.containsExactly("m3", "m4", "m5");

		Thread.sleep(500);
		bounded.accept(message("m6", "conv-6", "question 6"), TTL);
		bounded.deadLetters().deadLetter(bounded.read("node-1", 1, Duration.ofMillis(100)).get(0), "failed");

		assertThat(bounded.deadLetters().list(10)).extracting((dead) -> dead.getFields().get("messageId"))
			.as("the older ones are past the maximum age")
			.containsExactly("m6");
	}

	@Test
	void aDeadLetterReplayedTwiceAtOnceIsQueuedOnce() throws Exception {
		for (int i = 1; i <= 20; i++) {
			this.inbox.accept(message("m" + i, "conv-" + i, "question " + i), TTL);
		}
		for (InboxEntry entry : this.inbox.read("node-1", 20, Duration.ofMillis(100))) {
			this.inbox.deadLetters().deadLetter(entry, "failed");
		}
		List<String> ids = this.inbox.deadLetters().list(20).stream().map((dead) -> dead.getID().toString()).toList();
		ExecutorService two = Executors.newFixedThreadPool(2);
		int replayed = 0;
		try {
			for (String id : ids) {
				CountDownLatch start = new CountDownLatch(1);
				Callable<Boolean> replay = () -> {
					start.await();
					return this.inbox.deadLetters().replay(id);
				};
				Future<Boolean> first = two.submit(replay);
				Future<Boolean> second = two.submit(replay);
				start.countDown();
				replayed += (first.get() ? 1 : 0) + (second.get() ? 1 : 0);
			}
		}
		finally {
			two.shutdownNow();
		}

		assertThat(replayed).isEqualTo(20);
		assertThat(this.inbox.read("node-1", 100, Duration.ofMillis(100))).hasSize(20);
		assertThat(this.inbox.deadLetters().list(20)).isEmpty();
	}

	@Test
	void aDeadLetterWithoutAConversationIsNotReplayedAndStays() {
		jedis.xadd("cr:{acme}:dead", StreamEntryID.NEW_ENTRY,
				Map.of("reason", "unreadable: inbox entry without conversationId", "text", "?"));
		String id = this.inbox.deadLetters().list(1).get(0).getID().toString();

		assertThat(this.inbox.deadLetters().replay(id)).isFalse();

		assertThat(this.inbox.deadLetters().list(10)).hasSize(1);
		assertThat(this.inbox.read("node-1", 10, Duration.ofMillis(50))).isEmpty();
	}

	@Test
	void survivesTheServerForgettingItsScripts() {
		this.inbox.accept(message("m1", "c", "1"), TTL);
		jedis.scriptFlush();

		assertThat(this.inbox.accept(message("m2", "c", "2"), TTL)).isEqualTo(Intake.QUEUED);
	}

	private static Inbox inbox(int maxBacklog) {
		return new Inbox(jedis, "acme", new InboxProperties(8, maxBacklog, Duration.ofSeconds(60), 5,
				Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(2), 16, Duration.ofDays(7)));
	}

	private static ChannelMessage message(String id, String conversation, String text) {
		return new ChannelMessage("wecom", id, conversation, "user-1", text, Map.of("user", "user-1"),
				1_700_000_000_000L);
	}

}
