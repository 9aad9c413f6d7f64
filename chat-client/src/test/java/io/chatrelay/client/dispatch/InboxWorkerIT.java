package io.chatrelay.client.dispatch;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatReply;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.api.ChatService;
import io.chatrelay.client.TestRedis;
import io.chatrelay.client.conversation.ContextWindow;
import io.chatrelay.client.conversation.ConversationService;
import io.chatrelay.client.conversation.ConversationStore;
import io.chatrelay.client.dispatch.RecordingPlatform.Sent;
import io.chatrelay.client.inbox.ChannelInbox.Intake;
import io.chatrelay.client.inbox.ChannelMessage;
import io.chatrelay.client.inbox.Inbox;
import io.chatrelay.client.inbox.InboxPressure;
import io.chatrelay.client.inbox.InboxProperties;
import io.chatrelay.client.platform.PlatformApiException;
import io.chatrelay.client.redis.RedisWork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.resps.StreamConsumersInfo;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbox worker against a real redis-server, with the real {@link Inbox},
 * {@link MessageAnswerer} and {@link ConversationService} (context in Redis): only the
 * provider behind the Dubbo reference ({@link StandInChatService}) and the platform's
 * send API ({@link RecordingPlatform}) stand in. Settings are short (claim-idle 1 s,
 * backoff 100 ms) so that take-overs and retries happen within seconds.
 */
class InboxWorkerIT {

	private static final String TENANT = "acme";

	private static final String INBOX = "cr:{" + TENANT + "}:inbox";

	private static final String ATTEMPTS = "cr:{" + TENANT + "}:inbox:attempts";

	private static final Duration DEDUPE_TTL = Duration.ofMinutes(10);

	private static final Duration CLAIM_IDLE = Duration.ofSeconds(1);

	private static TestRedis redis;

	private static JedisPooled jedis;

	private static int port;

	/** The nodes' Redis workers (as each node has its own, a few threads). */
	private static final RedisWork work = new RedisWork(8);

	private final StandInChatService provider = new StandInChatService();

	private final List<StandInChatService> otherProviders = new ArrayList<>();

	private final RecordingPlatform platform = new RecordingPlatform();

	/** Told how long fresh messages queued; judged every second. */
	private final InboxPressure pressure = new InboxPressure(Duration.ofSeconds(1));

	private final List<InboxWorker> workers = new ArrayList<>();

	private final Inbox inbox = new Inbox(jedis, TENANT, settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

	@BeforeAll
	static void startRedis() throws IOException {
		redis = TestRedis.start();
		port = redis.port();
		jedis = redis.client();
	}

	@AfterAll
	static void stopRedis() throws IOException {
		work.close();
		jedis.close();
		redis.close();
	}

	@BeforeEach
	void flush() {
		jedis.flushAll();
		this.inbox.ensureGroup();
	}

	@AfterEach
	void stopWorkers() {
		this.provider.release();
		this.otherProviders.forEach(StandInChatService::release);
		this.platform.refuse((message) -> null);
		this.workers.forEach(InboxWorker::stop);
		this.pressure.close();
	}

	/**
	 * Jedis blocks its caller. Answers complete on Dubbo's consumer threads and sends on
	 * the common pool (the JDK HTTP client), which every other call shares: a Redis round
	 * trip there held up all of them (JFR: 645 socket reads of 10 ms or more on Dubbo's
	 * threads in 52 s at 200 msg/s). Every Redis step of an answer, an apology included,
	 * runs on the Redis workers.
	 */
	@Test
	void doesEveryRedisStepOnTheRedisWorkersNeverOnTheThreadsThatCompleteAnswersAndSends() {
		// "thread COMMAND"; pipelines, transactions and subscriptions take their
		// connection
		// without one ("thread PIPELINE").
		Set<String> uses = ConcurrentHashMap.newKeySet();
		PooledConnectionProvider watching = new PooledConnectionProvider(new HostAndPort("127.0.0.1", port)) {

			@Override
			public Connection getConnection() {
				uses.add(Thread.currentThread().getName() + " PIPELINE");
				return super.getConnection();
			}

			@Override
			public Connection getConnection(CommandArguments args) {
				uses.add(Thread.currentThread().getName() + " " + args.getCommand());
				return super.getConnection(args);
			}

		};
		ExecutorService providerThread = Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "stand-in-dubbo"));
		ExecutorService platformThread = Executors.newSingleThreadExecutor((task) -> new Thread(task, "stand-in-http"));
		ReplySender platform = this.platform.sender("node-a");
		ReplySender sendingOnItsThread = new ReplySender() {

			@Override
			public String channel() {
				return platform.channel();
			}

			@Override
			public int partLimitBytes() {
				return platform.partLimitBytes();
			}

			@Override
			public CompletableFuture<Void> sendPart(ChannelMessage message, String part, int index) {
				// Later, as over a network: the caller has moved on when it completes.
				return platform.sendPart(message, part, index)
					.thenApplyAsync((sent) -> sent,
							CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS, platformThread));
			}

		};
		this.provider.behave((request) -> CompletableFuture
			.supplyAsync(() -> request, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS, providerThread))
			.thenCompose((asked) -> asked.requestId().equals(requestId("filtered-1"))
					? CompletableFuture.failedFuture(new ChatException(ChatErrorCode.CONTENT_FILTERED, "filtered"))
					: StandInChatService.echo(asked)));
		accept("answered", 1);
		accept("answered", 2);
		accept("filtered", 1);
		try (JedisPooled watched = new JedisPooled(watching)) {
			InboxWorker worker = start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)), this.provider,
					watched, sendingOnItsThread);

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(3));
			awaitFinished();
			worker.stop();
		}
		finally {
			providerThread.shutdownNow();
			platformThread.shutdownNow();
		}
		assertThat(this.platform.deliveredTo("filtered")).containsExactly(Apology.FILTERED);
		// The test's own thread starts and stops the worker; the scheduler touches and
		// claims; the reader only reads and looks up the batch's progress at once; the
		// listener only listens.
		String test = Thread.currentThread().getName();
		assertThat(uses).as("Redis used by thread")
			.allMatch((use) -> use.startsWith("redis-work-") || use.startsWith("inbox-scheduler ")
					|| use.startsWith(test + " ") || use.equals("inbox-reader XREADGROUP")
					|| use.equals("inbox-reader PIPELINE") || use.equals("inbox-done-listener PIPELINE"))
			.anyMatch((use) -> use.startsWith("redis-work-"))
			.contains("inbox-reader PIPELINE");
	}

	@Test
	void answersEachConversationInAcceptanceOrderWithTheEarlierTurnsInContext() {
		this.provider.behave((request) -> request.requestId().equals(requestId("slow-1"))
				? StandInChatService.after(Duration.ofMillis(1500)).apply(request) : StandInChatService.echo(request));
		for (int n = 1; n <= 3; n++) {
			accept("slow", n);
			accept("quick", n);
		}

		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(6));
		assertThat(this.platform.deliveredTo("slow")).containsExactly(answer("slow", 1), answer("slow", 2),
				answer("slow", 3));
		assertThat(this.platform.deliveredTo("quick")).containsExactly(answer("quick", 1), answer("quick", 2),
				answer("quick", 3));
		assertThat(last(this.platform.deliveredFor("quick-3")).atNanos())
			.as("the slow answer holds up its own conversation only")
			.isLessThan(this.platform.deliveredFor("slow-1").get(0).atNanos());
		assertThat(only(this.provider.requestsFor("slow-2")).messages()).containsExactly(
				ChatMessage.user(question("slow", 1)), ChatMessage.assistant(answer("slow", 1)),
				ChatMessage.user(question("slow", 2)));
		assertThat(only(this.provider.requestsFor("slow-3")).messages()).containsExactly(
				ChatMessage.user(question("slow", 1)), ChatMessage.assistant(answer("slow", 1)),
				ChatMessage.user(question("slow", 2)), ChatMessage.assistant(answer("slow", 2)),
				ChatMessage.user(question("slow", 3)));
		awaitFinished();
	}

	/**
	 * The reader of an idle node holds a batch of permits while it blocks for new
	 * entries; with the batch not below the concurrency, a retry that had to win a permit
	 * against it waited until new traffic came (found by this class, fixed by handing due
	 * entries the reader's next permit).
	 */
	@Test
	void retriesAMessageThatWaitedForAProviderEvenWhenTheBatchIsNotBelowTheConcurrency() {
		this.provider.behave(StandInChatService::noProvider);
		accept("c", 1);
		start("node-a", settings(4, 32, CLAIM_IDLE, 3, Duration.ofMinutes(1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.provider.requestsFor("c-1").isEmpty());

		this.provider.behave(StandInChatService::echo);

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.platform.deliveredFor("c-1")).hasSize(1));
		awaitFinished();
	}

	@Test
	void answersTheEntriesOfADeadNodeEvenWhenTheBatchIsNotBelowTheConcurrency() {
		accept("c", 1);
		assertThat(this.inbox.read("dead-node", 10, Duration.ofMillis(100))).hasSize(1);

		start("node-b", settings(4, 32, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.platform.deliveredFor("c-1")).hasSize(1));
		awaitFinished();
	}

	/**
	 * When only the reply has to be sent again (the platform refused it for now beyond
	 * the send attempts), the next attempt sends the kept answer: the model is asked once
	 * and the turn stored once.
	 */
	@Test
	void asksOnceAndStoresTheTurnOnceWhenOnlyTheReplyHasToBeSentAgain() {
		AtomicInteger refusals = new AtomicInteger();
		this.platform.refuse((message) -> message.messageId().equals("c-1") && refusals.incrementAndGet() <= 4
				? new PlatformApiException("Test", 503, null, true, "busy") : null);
		accept("c", 1);
		accept("c", 2);

		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.platform.deliveredFor("c-2")).hasSize(1));
		assertThat(refusals.get()).as("the first reply was refused on two attempts").isGreaterThanOrEqualTo(4);
		assertThat(this.platform.deliveredFor("c-1")).hasSize(1);
		assertThat(this.provider.requestsFor("c-1")).hasSize(1);
		assertThat(only(this.provider.requestsFor("c-2")).messages()).containsExactly(
				ChatMessage.user(question("c", 1)), ChatMessage.assistant(answer("c", 1)),
				ChatMessage.user(question("c", 2)));
		awaitFinished();
	}

	@Test
	void keepsAtMostConcurrencyAnswersInFlight() throws InterruptedException {
		this.provider.hold();
		List<String> ids = IntStream.range(0, 20).mapToObj((c) -> accept("c" + c, 1).messageId()).toList();

		start("node-a", settings(4, 2, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.provider.inFlight() == 4);
		Thread.sleep(500);
		assertThat(this.provider.requests()).as("no fifth call while four are in flight").hasSize(4);
		assertThat(this.platform.attempts()).isEmpty();

		this.provider.release();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(20));
		assertThat(this.provider.maxInFlight()).isEqualTo(4);
		assertAnsweredOnce(ids);
		awaitFinished();
	}

	/**
	 * A burst far larger than the concurrency, in conversations of five (so most entries
	 * wait for their turn and give their permit back meanwhile). A reader that took more
	 * permits than a batch and gave back only what it did not read for would lose the
	 * rest for good: the second wave would then not fill the concurrency.
	 */
	@ParameterizedTest(name = "concurrency {0}, batch {1}")
	@CsvSource({ "2, 1", "8, 3" })
	void answersABurstAndGetsEveryPermitBack(int concurrency, int batch) {
		this.provider.behave(StandInChatService.after(Duration.ofMillis(5)));
		List<String> ids = new ArrayList<>();
		for (int n = 1; n <= 5; n++) {
			for (int c = 0; c < 10; c++) {
				ids.add(accept("burst" + c, n).messageId());
			}
		}

		start("node-a", settings(concurrency, batch, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(50));
		assertAnsweredOnce(ids);
		for (int c = 0; c < 10; c++) {
			assertThat(this.platform.deliveredTo("burst" + c)).containsExactly(answer("burst" + c, 1),
					answer("burst" + c, 2), answer("burst" + c, 3), answer("burst" + c, 4), answer("burst" + c, 5));
		}
		assertThat(this.provider.maxInFlight()).isLessThanOrEqualTo(concurrency);

		this.provider.hold();
		IntStream.range(0, concurrency).forEach((c) -> accept("after" + c, 1));
		await("a second wave fills the whole concurrency again").atMost(Duration.ofSeconds(10))
			.until(() -> this.provider.inFlight() == concurrency);
		this.provider.release();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(50 + concurrency));
		awaitFinished();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("providersUnreachable")
	void waitsWithoutCountingAFailureWhileNoProviderIsReachable(String failure,
			Function<ChatRequest, CompletableFuture<ChatReply>> unreachable) {
		this.provider.behave(unreachable);
		accept("c", 1);

		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.provider.requestsFor("c-1").size() >= 4);
		assertThat(this.platform.attempts()).as("the user has seen nothing").isEmpty();
		assertThat(jedis.xlen(INBOX)).isEqualTo(1);
		assertThat(this.inbox.stats().pending()).isEqualTo(1);
		assertThat(jedis.hlen(ATTEMPTS)).as("waiting for a provider is not a failed attempt").isZero();

		this.provider.behave(StandInChatService::echo);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.platform.delivered()).extracting(Sent::text).containsExactly(answer("c", 1)));
		awaitFinished();
		assertThat(this.platform.attempts()).hasSize(1);
	}

	static Stream<Arguments> providersUnreachable() {
		Function<ChatRequest, CompletableFuture<ChatReply>> noProvider = StandInChatService::noProvider;
		return Stream.of(Arguments.of("no provider after filtering", noProvider),
				Arguments.of("plain RpcException", StandInChatService
					.failing(new RpcException("Failed to invoke the method chatAsync: connection refused"))));
	}

	@Test
	void answersBusyOnceWhenNoProviderIsReachableForLongerThanMaxAge() throws InterruptedException {
		this.provider.behave(StandInChatService::noProvider);
		long accepted = System.nanoTime();
		accept("c", 1);

		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofSeconds(1)));

		await().atMost(Duration.ofSeconds(10)).until(() -> !this.platform.attempts().isEmpty());
		Thread.sleep(500);
		List<Sent> sent = this.platform.attempts();
		assertThat(sent).extracting(Sent::text).containsExactly(Apology.BUSY);
		assertThat(sent.get(0).atNanos() - accepted).as("not before max-age")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
		assertThat(this.provider.requestsFor("c-1")).as("it was tried meanwhile").hasSizeGreaterThan(1);
		awaitFinished();
		assertThat(this.inbox.done("c")).isEqualTo(1);
	}

	@Test
	void deadLettersAReplyThePlatformRefusesForGoodAndMovesTheConversationOn() {
		this.platform.refuse((message) -> message.messageId().equals("c-1")
				? new PlatformApiException("Test", 400, "40003", false, "invalid recipient") : null);
		accept("c", 1);
		accept("c", 2);

		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.platform.deliveredFor("c-2")).hasSize(1);
			assertThat(this.platform.attempts().stream().filter((sent) -> sent.messageId().equals("c-1"))).hasSize(4);
		});
		assertThat(this.platform.attempts().stream().filter((sent) -> sent.messageId().equals("c-1")))
			.extracting(Sent::text)
			.as("three attempts, then the apology")
			.containsExactly(answer("c", 1), answer("c", 1), answer("c", 1), Apology.FAILED);
		List<StreamEntry> dead = this.inbox.deadLetters().list(10);
		assertThat(dead).hasSize(1);
		assertThat(dead.get(0).getFields()).containsEntry("messageId", "c-1")
			.containsEntry("text", question("c", 1))
			.containsKey("entryId");
		assertThat(dead.get(0).getFields().get("reason")).contains("3 attempts");
		assertThat(this.platform.deliveredTo("c")).containsExactly(answer("c", 2));
		awaitFinished();
		assertThat(jedis.hlen(ATTEMPTS)).isZero();
	}

	@Test
	void twoNodesShareTheInboxAndAnswerEachMessageOnceInOrder() {
		// Earlier messages take longer: answered side by side, later ones would overtake.
		this.provider.behave(
				(request) -> StandInChatService.after(Duration.ofMillis(4L * (7 - number(request)))).apply(request));
		start("node-a", settings(4, 2, CLAIM_IDLE, 3, Duration.ofMinutes(1)));
		start("node-b", settings(4, 2, CLAIM_IDLE, 3, Duration.ofMinutes(1)));
		List<String> ids = new ArrayList<>();
		for (int c = 0; c < 10; c++) {
			for (int n = 1; n <= 6; n++) {
				ids.add(accept("conv" + c, n).messageId());
			}
		}

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(60));
		assertAnsweredOnce(ids);
		for (int c = 0; c < 10; c++) {
			String conversation = "conv" + c;
			assertThat(this.platform.deliveredTo(conversation)).containsExactlyElementsOf(
					IntStream.rangeClosed(1, 6).mapToObj((n) -> answer(conversation, n)).toList());
			for (int n = 1; n <= 6; n++) {
				assertThat(only(this.provider.requestsFor(conversation + "-" + n)).messages())
					.as("message %d of %s sees each earlier turn once", n, conversation)
					.hasSize(2 * n - 1);
			}
		}
		assertThat(this.platform.delivered()).extracting(Sent::node).contains("node-a", "node-b");
		awaitFinished();
	}

	/**
	 * A message waiting for its conversation's previous one used to look again every 100
	 * ms (a worker task and a Redis round trip each): a backlog of waiting messages made
	 * work that grew with it, and a node past its capacity collapsed (issue 14). Parked,
	 * it costs no Redis command until the news that its predecessor finished wakes it.
	 */
	@Test
	void aMessageWaitingForItsPredecessorCostsNoRedisCommandUntilTheNewsWakesIt() throws InterruptedException {
		this.provider.behave((request) -> request.requestId().equals(requestId("c-1"))
				? StandInChatService.after(Duration.ofMillis(2500)).apply(request) : StandInChatService.echo(request));
		accept("c", 1);
		accept("c", 2);
		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.provider.requestsFor("c-1").isEmpty());
		Thread.sleep(300);

		Map<String, Long> before = commandCalls();
		Thread.sleep(1500);
		Map<String, Long> during = commandCalls();

		// The reader's XREADGROUP and the touches go on; nothing looks at c-2.
		assertThat(during.getOrDefault("hget", 0L) - before.getOrDefault("hget", 0L)).as("HGET while parked").isZero();
		assertThat(during.getOrDefault("evalsha", 0L) - before.getOrDefault("evalsha", 0L)).as("scripts while parked")
			.isZero();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.platform.deliveredFor("c-2")).hasSize(1));
		long woken = this.platform.deliveredFor("c-2").get(0).atNanos()
				- this.platform.deliveredFor("c-1").get(0).atNanos();
		assertThat(Duration.ofNanos(woken))
			.as("woken by the news, not by the %s safety recheck", OrderGate.PARKED_RECHECK)
			.isLessThan(Duration.ofMillis(500));
		awaitFinished();
	}

	@Test
	void aMessageParkedOnOneNodeIsWokenWhenItsPredecessorFinishesOnAnother() {
		StandInChatService frozen = new StandInChatService();
		this.otherProviders.add(frozen);
		frozen.hold();
		accept("c", 1);
		// One permit, held by c-1: node-a reads nothing else.
		start("node-a", settings(1, 1, CLAIM_IDLE, 3, Duration.ofMinutes(1)), frozen);
		await().atMost(Duration.ofSeconds(5)).until(() -> frozen.inFlight() == 1);
		accept("c", 2);
		start("node-b", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(pendingEntries()).extracting(StreamPendingEntry::getConsumerName)
				.containsExactlyInAnyOrder("node-a", "node-b"));

		frozen.release();

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.platform.deliveredFor("c-2")).hasSize(1));
		assertThat(this.platform.deliveredFor("c-1")).extracting(Sent::node).containsExactly("node-a");
		assertThat(this.platform.deliveredFor("c-2")).extracting(Sent::node).containsExactly("node-b");
		long woken = this.platform.deliveredFor("c-2").get(0).atNanos()
				- this.platform.deliveredFor("c-1").get(0).atNanos();
		assertThat(Duration.ofNanos(woken)).as("woken through the done channel, not by the safety recheck")
			.isLessThan(Duration.ofMillis(500));
		assertThat(only(this.provider.requestsFor("c-2")).messages()).containsExactly(
				ChatMessage.user(question("c", 1)), ChatMessage.assistant(answer("c", 1)),
				ChatMessage.user(question("c", 2)));
		awaitFinished();
	}

	@Test
	void parkedMessagesLookAgainWhenTheListenerHadToSubscribeAgain() throws InterruptedException {
		this.provider.behave((request) -> request.requestId().equals(requestId("c-1"))
				? StandInChatService.after(Duration.ofMillis(1500)).apply(request) : StandInChatService.echo(request));
		accept("c", 1);
		accept("c", 2);
		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.provider.requestsFor("c-1").isEmpty());
		Thread.sleep(1200);

		// c-1 finishes (1.5 s after it was asked) while nobody listens: its news is lost,
		// and the listener subscribes again 1 s after the connection broke.
		try (Jedis admin = new Jedis("127.0.0.1", port)) {
			assertThat(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB))).isEqualTo(1);
		}

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.platform.deliveredFor("c-2")).hasSize(1));
		long woken = this.platform.deliveredFor("c-2").get(0).atNanos()
				- this.platform.deliveredFor("c-1").get(0).atNanos();
		assertThat(Duration.ofNanos(woken)).as("looked again on subscribing again, before the safety recheck")
			.isLessThan(OrderGate.PARKED_RECHECK.minusSeconds(2));
		awaitFinished();
	}

	/**
	 * Parked entries give their permits back; the reader reads on only while the node
	 * holds fewer than twice its concurrency, so a backlog stays in the inbox (for any
	 * node, and for the backlog limit at intake) rather than in one node's memory.
	 */
	@Test
	void holdsAtMostTwiceItsConcurrencyWhileWhatItHoldsIsParked() throws InterruptedException {
		this.provider.hold();
		List<String> ids = new ArrayList<>();
		for (int n = 1; n <= 12; n++) {
			ids.add(accept("c", n).messageId());
		}
		start("node-a", settings(2, 8, CLAIM_IDLE, 3, Duration.ofMinutes(1)));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.provider.inFlight() == 1);
		Thread.sleep(500);

		assertThat(pendingEntries()).as("held by node-a").hasSize(4);
		this.provider.release();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(12));
		assertThat(this.platform.deliveredTo("c"))
			.containsExactlyElementsOf(IntStream.rangeClosed(1, 12).mapToObj((n) -> answer("c", n)).toList());
		assertAnsweredOnce(ids);
		awaitFinished();
	}

	@Test
	void tellsThePressureHowLongAFreshMessageQueuedBeforeItStarted() throws InterruptedException {
		accept("c", 1);
		Thread.sleep(1300);

		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(3)).until(this.pressure::overloaded);
		assertThat(this.pressure.queueDelayMillis()).isGreaterThanOrEqualTo(1300);
		await().atMost(Duration.ofSeconds(3)).until(() -> !this.pressure.overloaded());
		awaitFinished();
	}

	/**
	 * A message parked behind its conversation's previous one waited for that answer, not
	 * for the node: its wait must not make the node refuse callbacks (with a real model,
	 * a user's second message often waits 10 s for the first answer).
	 */
	@Test
	void aParkedMessagesWaitForItsPredecessorIsNotQueueing() throws InterruptedException {
		this.provider.behave((request) -> request.requestId().equals(requestId("c-1"))
				? StandInChatService.after(Duration.ofMillis(1500)).apply(request) : StandInChatService.echo(request));
		accept("c", 1);
		accept("c", 2);
		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		long until = System.nanoTime() + Duration.ofMillis(4500).toNanos();
		boolean refused = false;
		while (System.nanoTime() < until) {
			refused |= this.pressure.overloaded();
			Thread.sleep(20);
		}

		assertThat(this.platform.deliveredFor("c-2")).hasSize(1);
		assertThat(refused).as("refused callbacks for a parked message's wait").isFalse();
		awaitFinished();
	}

	@Test
	void takesOverTheEntriesOfADeadNodeAfterClaimIdle() {
		for (int n = 1; n <= 3; n++) {
			accept("c1", n);
			accept("c2", n);
		}
		assertThat(this.inbox.read("dead-node", 10, Duration.ofMillis(100))).hasSize(6);
		long died = System.nanoTime();

		start("node-b", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(6));
		assertThat(this.platform.delivered().get(0).atNanos() - died).as("not before claim-idle")
			.isGreaterThanOrEqualTo(CLAIM_IDLE.toNanos());
		assertThat(this.platform.deliveredTo("c1")).containsExactly(answer("c1", 1), answer("c1", 2), answer("c1", 3));
		assertThat(this.platform.deliveredTo("c2")).containsExactly(answer("c2", 1), answer("c2", 2), answer("c2", 3));
		assertAnsweredOnce(List.of("c1-1", "c1-2", "c1-3", "c2-1", "c2-2", "c2-3"));
		awaitFinished();
	}

	@Test
	void leavesTheEntriesOfALiveNodeWithSlowAnswersAlone() throws InterruptedException {
		Duration claimIdle = Duration.ofMillis(1500);
		StandInChatService frozen = new StandInChatService();
		this.otherProviders.add(frozen);
		frozen.hold();
		start("node-a", settings(8, 4, claimIdle, 3, Duration.ofMinutes(1)), frozen);
		IntStream.rangeClosed(1, 3).forEach((c) -> accept("c" + c, 1));
		await().atMost(Duration.ofSeconds(10)).until(() -> frozen.inFlight() == 3);

		start("node-b", settings(8, 4, claimIdle, 3, Duration.ofMinutes(1)));
		Thread.sleep(claimIdle.multipliedBy(2).plusMillis(500).toMillis());

		assertThat(this.provider.requests()).as("node-b asked nothing").isEmpty();
		assertThat(this.platform.attempts()).isEmpty();
		frozen.release();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(3));
		assertThat(this.platform.delivered()).extracting(Sent::node).containsOnly("node-a");
		assertAnsweredOnce(List.of("c1-1", "c2-1", "c3-1"), frozen);
		awaitFinished();
	}

	/**
	 * Node A holds three messages waiting for a provider and answers a fourth when it is
	 * stopped. Node B joins after A left, so its first claim round comes claim-idle/2
	 * after its start: it can take the three over then only if A handed them back marked
	 * idle (A touched them at most claim-idle/3 before leaving, so they would otherwise
	 * become idle enough only at B's second round).
	 */
	@Test
	void aStoppingNodeDeliversItsAnswerInFlightAndHandsTheRestBackForAnImmediateTakeOver() {
		Duration claimIdle = Duration.ofSeconds(5);
		InboxProperties settings = settings(8, 4, claimIdle, 3, Duration.ofMinutes(1));
		this.provider.behave((request) -> request.conversationId().equals("in-flight")
				? StandInChatService.after(Duration.ofMillis(1500)).apply(request)
				: StandInChatService.noProvider(request));
		accept("in-flight", 1);
		IntStream.rangeClosed(1, 3).forEach((c) -> accept("waiting" + c, 1));
		InboxWorker nodeA = start("node-a", settings);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.provider.inFlight() == 1 && IntStream.rangeClosed(1, 3)
				.allMatch((c) -> !this.provider.requestsFor("waiting" + c + "-1").isEmpty()));

		nodeA.stop();

		assertThat(this.platform.deliveredFor("in-flight-1")).as("delivered before stop() returned").hasSize(1);
		assertThat(consumers()).doesNotContain("node-a");
		List<StreamPendingEntry> handedBack = pendingEntries();
		assertThat(handedBack).hasSize(3);
		assertThat(handedBack).allSatisfy((entry) -> {
			assertThat(entry.getConsumerName()).isNotEqualTo("node-a");
			assertThat(entry.getIdleTime()).isGreaterThanOrEqualTo(claimIdle.toMillis());
		});

		this.provider.behave(StandInChatService::echo);
		long joined = System.nanoTime();
		start("node-b", settings);

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(this.platform.delivered()).hasSize(4));
		long takenOverAfter = last(this.platform.delivered()).atNanos() - joined;
		assertThat(Duration.ofNanos(takenOverAfter)).as("answered on node-b's first claim round")
			.isLessThan(claimIdle.multipliedBy(3).dividedBy(4));
		assertThat(this.platform.delivered()).filteredOn((sent) -> sent.messageId().startsWith("waiting"))
			.extracting(Sent::node)
			.containsOnly("node-b");
		assertAnsweredOnce(List.of("in-flight-1"));
		for (int c = 1; c <= 3; c++) {
			assertThat(this.platform.deliveredFor("waiting" + c + "-1")).hasSize(1);
		}
		awaitFinished();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failuresThatAreAnswers")
	void apologisesOnceWhenTheProviderFailsWithAnAnswer(RuntimeException failure, String apology) {
		this.provider.behave(StandInChatService.failing(failure));
		accept("c", 1);

		start("node-a", settings(8, 4, CLAIM_IDLE, 3, Duration.ofMinutes(1)));

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jedis.xlen(INBOX)).isZero());
		assertThat(this.platform.attempts()).extracting(Sent::text).containsExactly(apology);
		assertThat(this.provider.requestsFor("c-1")).hasSize(1);
		awaitFinished();
	}

	static Stream<Arguments> failuresThatAreAnswers() {
		return Stream.of(Arguments.of(new ChatException(ChatErrorCode.CONTENT_FILTERED, "filtered"), Apology.FILTERED),
				Arguments.of(new ChatException(ChatErrorCode.UNAVAILABLE, "every vendor failed"), Apology.BUSY),
				Arguments.of(new ChatException(ChatErrorCode.BAD_REQUEST, "too long"), Apology.FAILED),
				Arguments.of(new RpcException(RpcException.TIMEOUT_EXCEPTION, "Waiting server-side response timeout"),
						Apology.BUSY));
	}

	private InboxWorker start(String consumer, InboxProperties settings) {
		return start(consumer, settings, this.provider);
	}

	private InboxWorker start(String consumer, InboxProperties settings, ChatService chatService) {
		return start(consumer, settings, chatService, jedis, this.platform.sender(consumer));
	}

	private InboxWorker start(String consumer, InboxProperties settings, ChatService chatService, JedisPooled redis,
			ReplySender sender) {
		ConversationService conversations = new ConversationService(chatService,
				new ConversationStore(redis, new ObjectMapper(), TENANT, Duration.ofHours(1), 20),
				new ContextWindow("", 20), TENANT, Duration.ofSeconds(30), work.executor());
		MessageAnswerer answerer = new MessageAnswerer(List
			.of(new SendingResponder(conversations, sender, new RedisPendingReplies(redis, TENANT, Duration.ofHours(1)),
					2, Duration.ofMillis(50), work.executor())),
				new SimpleMeterRegistry());
		InboxWorker worker = new InboxWorker(new Inbox(redis, TENANT, settings), answerer, settings, consumer,
				work.executor(), this.pressure);
		this.workers.add(worker);
		worker.start();
		return worker;
	}

	/**
	 * Short settings.
	 */
	private static InboxProperties settings(int concurrency, int batch, Duration claimIdle, int maxAttempts,
			Duration maxAge) {
		return new InboxProperties(concurrency, 0, claimIdle, maxAttempts, maxAge, Duration.ofMillis(100),
				Duration.ofMillis(200), batch, Duration.ofDays(1));
	}

	private ChannelMessage accept(String conversation, int n) {
		ChannelMessage message = new ChannelMessage(RecordingPlatform.CHANNEL, conversation + "-" + n, conversation,
				"user-" + conversation, question(conversation, n), Map.of("user", "user-" + conversation),
				System.currentTimeMillis());
		assertThat(this.inbox.accept(message, DEDUPE_TTL)).isEqualTo(Intake.QUEUED);
		return message;
	}

	private static String question(String conversation, int n) {
		return "question " + n + " in " + conversation;
	}

	private static String answer(String conversation, int n) {
		return StandInChatService.answerTo(question(conversation, n));
	}

	/**
	 * The number of the message a request asks about.
	 */
	private static int number(ChatRequest request) {
		String question = request.messages().get(request.messages().size() - 1).content();
		return Integer.parseInt(question.split(" ")[1]);
	}

	private static String requestId(String messageId) {
		return RecordingPlatform.CHANNEL + ":" + messageId;
	}

	private void assertAnsweredOnce(List<String> messageIds) {
		assertAnsweredOnce(messageIds, this.provider);
	}

	private void assertAnsweredOnce(List<String> messageIds, StandInChatService asked) {
		for (String id : messageIds) {
			assertThat(this.platform.deliveredFor(id)).as("replies to %s", id).hasSize(1);
			assertThat(asked.requestsFor(id)).as("questions for %s", id).hasSize(1);
		}
	}

	/**
	 * Every entry finished: acknowledged and deleted (just after the platform took the
	 * last reply).
	 */
	private void awaitFinished() {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(jedis.xlen(INBOX)).as("inbox length").isZero();
			assertThat(this.inbox.stats().pending()).as("pending entries").isZero();
		});
	}

	/** Redis's calls per command so far ({@code INFO commandstats}). */
	private static Map<String, Long> commandCalls() {
		Map<String, Long> calls = new HashMap<>();
		String stats;
		try (Jedis admin = new Jedis("127.0.0.1", port)) {
			stats = admin.info("commandstats");
		}
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String command = line.substring("cmdstat_".length(), line.indexOf(':'));
				String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
				calls.put(command, Long.parseLong(count));
			}
		}
		return calls;
	}

	private static List<String> consumers() {
		return jedis.xinfoConsumers(INBOX, Inbox.GROUP).stream().map(StreamConsumersInfo::getName).toList();
	}

	private static List<StreamPendingEntry> pendingEntries() {
		return jedis.xpending(INBOX, Inbox.GROUP, XPendingParams.xPendingParams().count(100));
	}

	private static <T> T only(List<T> list) {
		assertThat(list).hasSize(1);
		return list.get(0);
	}

	private static <T> T last(List<T> list) {
		assertThat(list).isNotEmpty();
		return list.get(list.size() - 1);
	}

}
