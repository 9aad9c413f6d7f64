package io.chatrelay.standalone.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * A steady stream of signed DingTalk callbacks for fault drills, sent the way a platform
 * sends them: at a fixed rate (open model), each retried on a 5xx or a connection failure
 * until acknowledged (through whichever client node the "load balancer" offers next).
 * Replies are observed at the DingTalk stand-in, one session webhook per message, so
 * every message's replies can be counted.
 */
final class DrillLoad {

	private static final System.Logger log = System.getLogger(DrillLoad.class.getName());

	private static final int CONVERSATIONS = 10;

	private static final int MAX_DELIVERIES = 60;

	private final String name;

	private final WireMockServer dingTalk;

	private final Supplier<String> nodes;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

	private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();

	private final List<CompletableFuture<Void>> deliveries = new ArrayList<>();

	/** When each fault action had run (a restart returns once the part is ready). */
	private final List<Long> faultsDoneAt = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

	/** The fault actions, to fail the drill when one of them failed. */
	private final List<java.util.concurrent.ScheduledFuture<?>> faults = new ArrayList<>();

	/**
	 * Create a load.
	 * @param name the drill's name (prefixes every message key)
	 * @param dingTalk the DingTalk stand-in receiving replies
	 * @param nodes the next client base URL to deliver to
	 */
	DrillLoad(String name, WireMockServer dingTalk, Supplier<String> nodes) {
		this.name = name;
		this.dingTalk = dingTalk;
		this.nodes = nodes;
	}

	/**
	 * Send messages at a fixed rate, running actions at given offsets (the fault), and
	 * return once everything is sent and acknowledged (or given up).
	 * @param perSecond messages per second
	 * @param duration how long
	 * @param copies deliveries of each message at once (platform retries, several nodes)
	 * @param actions what to do when, relative to the start
	 * @throws InterruptedException if interrupted
	 */
	void run(int perSecond, Duration duration, int copies, Map<Duration, Runnable> actions)
			throws InterruptedException {
		long start = System.nanoTime();
		actions.forEach((at, action) -> this.faults.add(this.timer.schedule(() -> {
			log.log(System.Logger.Level.INFO, "{0}: fault at {1} ms", this.name, at.toMillis());
			action.run();
			this.faultsDoneAt.add(System.currentTimeMillis());
		}, at.toMillis(), TimeUnit.MILLISECONDS)));
		int total = (int) (perSecond * duration.toSeconds());
		for (int i = 0; i < total; i++) {
			long due = start + i * 1_000_000_000L / perSecond;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			String key = this.name + "-" + i;
			String body = DingTalkWebhooks.message("1", "staff-" + this.name + "-" + (i % CONVERSATIONS),
					"cid-" + this.name + "-" + (i % CONVERSATIONS), "drill question " + key,
					this.dingTalk.baseUrl() + "/robot/sendBySession?session=" + key, Duration.ofMinutes(90));
			this.sentAt.put(key, System.currentTimeMillis());
			for (int copy = 0; copy < copies; copy++) {
				this.deliveries.add(deliver(key, body, 1));
			}
		}
		CompletableFuture.allOf(this.deliveries.toArray(CompletableFuture[]::new))
			.orTimeout(120, TimeUnit.SECONDS)
			.exceptionally((failure) -> null)
			.join();
		this.timer.shutdown();
		this.timer.awaitTermination(120, TimeUnit.SECONDS);
	}

	private CompletableFuture<Void> deliver(String key, String body, int attempt) {
		String[] headers = DingTalkWebhooks.signedNow();
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.nodes.get() + "/callback/dingtalk"))
			.header("Content-Type", "application/json; charset=utf-8")
			.header("timestamp", headers[0])
			.header("sign", headers[1])
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
			.handle((response, failure) -> (failure == null) ? response.statusCode() : -1)
			.thenCompose((status) -> {
				if (status == 200) {
					this.ackedAt.putIfAbsent(key, System.currentTimeMillis());
					return CompletableFuture.completedFuture(null);
				}
				if (attempt >= MAX_DELIVERIES) {
					log.log(System.Logger.Level.WARNING, "{0}: {1} never acknowledged (last status {2})", this.name,
							key, status);
					return CompletableFuture.completedFuture(null);
				}
				return CompletableFuture
					.supplyAsync(() -> null, CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS))
					.thenCompose((ignored) -> deliver(key, body, attempt + 1));
			});
	}

	/**
	 * Wait until every acknowledged message has a reply, or the time is up, and count.
	 * @param timeout the longest wait
	 * @return the counts
	 * @throws InterruptedException if interrupted
	 */
	Result await(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (java.util.concurrent.ScheduledFuture<?> fault : this.faults) {
			try {
				fault.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
				throw new AssertionError(this.name + ": a fault action failed, so the drill did not happen as planned",
						(ex.getCause() != null) ? ex.getCause() : ex);
			}
		}
		Result result = count();
		while (result.lost() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(250);
			result = count();
		}
		Thread.sleep(1000);
		result = count();
		log.log(System.Logger.Level.INFO, "{0}", result);
		return result;
	}

	private Result count() {
		Map<String, List<Long>> replies = new HashMap<>();
		for (LoggedRequest request : this.dingTalk.findAll(postRequestedFor(urlPathEqualTo("/robot/sendBySession")))) {
			String url = request.getUrl();
			String key = url.substring(url.indexOf("session=") + "session=".length());
			if (key.startsWith(this.name + "-")) {
				replies.computeIfAbsent(key, (k) -> new ArrayList<>()).add(request.getLoggedDate().getTime());
			}
		}
		int replied = replies.size();
		int duplicates = replies.values().stream().mapToInt((times) -> times.size() - 1).sum();
		long lost = this.ackedAt.keySet().stream().filter((key) -> !replies.containsKey(key)).count();
		List<Long> latencies = replies.entrySet()
			.stream()
			.filter((entry) -> this.sentAt.containsKey(entry.getKey()))
			.map((entry) -> entry.getValue().stream().min(Long::compare).orElseThrow()
					- this.sentAt.get(entry.getKey()))
			.sorted()
			.toList();
		return new Result(this.name, this.sentAt.size(), this.ackedAt.size(), replied, duplicates, (int) lost,
				recoveryMillis(replies), latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
				latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), outOfOrder(replies));
	}

	/**
	 * How long after the last fault action had run every message sent before it had its
	 * reply: the time the system took to catch up. Zero when it never fell behind.
	 */
	private long recoveryMillis(Map<String, List<Long>> replies) {
		if (this.faultsDoneAt.isEmpty()) {
			return 0;
		}
		long lastFault = Collections.max(this.faultsDoneAt);
		long caughtUp = this.sentAt.entrySet()
			.stream()
			.filter((sent) -> sent.getValue() < lastFault && replies.containsKey(sent.getKey()))
			.mapToLong((sent) -> Collections.min(replies.get(sent.getKey())))
			.max()
			.orElse(lastFault);
		return Math.max(0, caughtUp - lastFault);
	}

	/**
	 * Conversations with two replies in another order than the relay accepted their
	 * messages. A message was accepted somewhere between its first sending and its
	 * acknowledgement; only pairs where one was surely accepted before the other count
	 * (while the relay answers 503, the platform's redeliveries may arrive in any order,
	 * and the relay answers in the order it accepted them).
	 */
	private int outOfOrder(Map<String, List<Long>> replies) {
		Map<Integer, List<String>> conversations = new HashMap<>();
		for (String key : this.ackedAt.keySet()) {
			int index = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
			conversations.computeIfAbsent(index % CONVERSATIONS, (c) -> new ArrayList<>()).add(key);
		}
		int outOfOrder = 0;
		for (List<String> keys : conversations.values()) {
			if (hasInversion(keys, replies)) {
				outOfOrder++;
			}
		}
		return outOfOrder;
	}

	private boolean hasInversion(List<String> keys, Map<String, List<Long>> replies) {
		for (String earlier : keys) {
			for (String later : keys) {
				List<Long> earlierReplies = replies.get(earlier);
				List<Long> laterReplies = replies.get(later);
				boolean surelyBefore = this.ackedAt.get(earlier) < this.sentAt.get(later);
				if (surelyBefore && earlierReplies != null && laterReplies != null
						&& Collections.min(laterReplies) < Collections.min(earlierReplies)) {
					log.log(System.Logger.Level.WARNING, "{0}: {1} accepted before {2} but answered after it",
							this.name, earlier, later);
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * A drill's counts.
	 *
	 * @param drill the drill
	 * @param sent messages sent
	 * @param acked messages the relay acknowledged
	 * @param replied messages with at least one reply
	 * @param duplicates replies beyond the first
	 * @param lost acknowledged messages without a reply
	 * @param recoveryMillis how long after the last fault action every message sent
	 * before it was answered
	 * @param p50Millis median time from sending to the first reply
	 * @param maxMillis longest time from sending to the first reply
	 * @param conversationsOutOfOrder conversations whose replies came out of order
	 */
	record Result(String drill, int sent, int acked, int replied, int duplicates, int lost, long recoveryMillis,
			long p50Millis, long maxMillis, int conversationsOutOfOrder) {

		@Override
		public String toString() {
			return "DRILL " + this.drill + ": sent " + this.sent + " / acked " + this.acked + " / replied "
					+ this.replied + " / duplicates " + this.duplicates + " / lost " + this.lost + " | caught up "
					+ this.recoveryMillis + " ms after the last fault | send->reply p50 " + this.p50Millis + " ms, max "
					+ this.maxMillis + " ms | conversations out of order " + this.conversationsOutOfOrder;
		}

	}

}
