package io.chatrelay.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.chatrelay.loadtest.measure.CpuMeter;
import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.MessageBook;
import io.chatrelay.loadtest.measure.Outcome;
import io.chatrelay.loadtest.measure.ResourceSampler;
import io.chatrelay.loadtest.measure.Threads;
import io.chatrelay.loadtest.report.Results;
import io.chatrelay.loadtest.report.RunReport;
import io.chatrelay.loadtest.report.TrafficResult;
import io.chatrelay.loadtest.standin.LlmStandIn;
import io.chatrelay.loadtest.standin.PlatformStandIn;
import io.chatrelay.loadtest.traffic.ArrivalSchedule;
import io.chatrelay.loadtest.traffic.DingTalkCallbacks;
import io.chatrelay.loadtest.traffic.FeishuCallbacks;
import io.chatrelay.loadtest.traffic.MessageIds;
import io.chatrelay.loadtest.traffic.Traffic;
import io.chatrelay.loadtest.traffic.WeComCallbacks;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open-model run: a pacer thread sends each message when it is due (by absolute time,
 * never waiting for a response), a second one calls the LLM stand-in directly at a low
 * rate (the floor), and at the end the outcomes are joined with the stand-in's service
 * times into a {@link RunReport}.
 */
final class LoadRun {

	private static final Logger log = LoggerFactory.getLogger(LoadRun.class);

	private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration WEB_TIMEOUT = Duration.ofSeconds(150);

	private static final AtomicLong RUNS = new AtomicLong();

	private final Environment environment;

	private final RunPlan plan;

	private final RunHook hook;

	private final String tag;

	private final MessageBook book = new MessageBook();

	private final DingTalkCallbacks dingTalk = new DingTalkCallbacks(DingTalkCallbacks.APP_SECRET);

	private final FeishuCallbacks feishu = new FeishuCallbacks(FeishuCallbacks.ENCRYPT_KEY);

	private final WeComCallbacks weCom = new WeComCallbacks(WeComCallbacks.TOKEN, WeComCallbacks.ENCODING_AES_KEY,
			WeComCallbacks.CORP_ID);

	private final Histogram floor = LatencySummary.histogram();

	private final HttpClient http;

	private final ExecutorService httpThreads;

	private volatile boolean pacing;

	private volatile long lastSentNanos;

	/**
	 * Prepare a run.
	 * @param environment the system and the stand-ins
	 * @param plan what to send
	 * @param hook what else to do meanwhile
	 */
	LoadRun(Environment environment, RunPlan plan, RunHook hook) {
		this.environment = environment;
		this.plan = plan;
		this.hook = hook;
		this.tag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + RUNS.incrementAndGet();
		this.httpThreads = Executors.newFixedThreadPool(2, Threads.daemon("load-http"));
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(this.httpThreads)
			.build();
	}

	/**
	 * Send everything, wait for the replies (or the grace period), and report.
	 * @return the report
	 * @throws InterruptedException if interrupted
	 */
	RunReport execute() throws InterruptedException {
		this.environment.llm().reset();
		this.environment.platform().record(this.book);
		ArrivalSchedule schedule = this.plan.schedule();
		log.info("{}: {} messages over {} s ({}), {} conversations", this.plan.name(), schedule.total(),
				schedule.duration().toSeconds(), this.plan.mix(), this.plan.conversations());
		String startedAt = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
		String loadBefore = loadAverage();
		ResourceSampler sampler = new ResourceSampler(this.environment.nodes());
		CpuMeter cpu = new CpuMeter(this.environment.processes());
		long start = System.nanoTime() + 50_000_000L;
		this.pacing = true;
		Thread floorThread = new Thread(() -> floor(start), "load-floor");
		floorThread.setDaemon(true);
		floorThread.start();
		this.hook.started(start);
		try {
			pace(schedule, start);
		}
		finally {
			this.pacing = false;
		}
		floorThread.join(5_000);
		long deadline = System.nanoTime() + this.plan.grace().toNanos();
		long lastReport = System.nanoTime();
		while (this.book.unfinished() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
			if (System.nanoTime() - lastReport > 5_000_000_000L) {
				log.info("{}: waiting for {} replies", this.plan.name(), this.book.unfinished());
				lastReport = System.nanoTime();
			}
		}
		// Late duplicates arrive within a moment of the first reply.
		Thread.sleep(1_000);
		Map<String, Object> extra = new HashMap<>(this.hook.finish());
		extra.put("loadAverage", loadBefore + " -> " + loadAverage());
		extra.put("cpuCores", CpuMeter.text(cpu.cores()));
		sampler.close();
		List<Outcome> outcomes = this.book.outcomes();
		extra.putAll(this.hook.results(outcomes, this.environment.llm()::serviceNanos));
		RunReport report = report(startedAt, start, outcomes, sampler.peak(), extra);
		this.httpThreads.shutdownNow();
		return report;
	}

	private void pace(ArrivalSchedule schedule, long start) {
		long total = schedule.total();
		long progressEvery = Math.max(1, total / 10);
		for (long i = 0; i < total; i++) {
			long due = start + schedule.dueNanos(i);
			long wait = due - System.nanoTime();
			while (wait > 0) {
				LockSupport.parkNanos(wait);
				wait = due - System.nanoTime();
			}
			send(i, due, schedule.stepOf(i));
			if ((i + 1) % progressEvery == 0) {
				log.info("{}: sent {} of {} (behind by {} ms)", this.plan.name(), i + 1, total,
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - due));
			}
		}
	}

	private void send(long index, long due, int step) {
		Traffic traffic = this.plan.trafficOf(index);
		String id = this.tag + "-" + index;
		MessageBook.Entry entry = this.book.add(id, traffic, step, due);
		long conversation = index % this.plan.conversations();
		String user = "lt" + this.tag + "-u" + conversation;
		String text = "question " + MessageIds.marker(id);
		HttpRequest request = switch (traffic) {
			case DINGTALK -> dingTalkRequest(id, user, text);
			case FEISHU -> feishuRequest(id, user, text);
			case WECOM -> weComRequest(user, text);
			case WEB -> webRequest("/api/v1/chat", user, conversation, text);
			case WEB_STREAM -> webRequest("/api/v1/chat/stream", user, conversation, text);
		};
		long sent = System.nanoTime();
		entry.sent(sent);
		this.lastSentNanos = sent;
		if (traffic.acknowledged()) {
			this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
				if (failure != null) {
					entry.failed(System.nanoTime(), failure);
				}
				else {
					entry.acked(System.nanoTime(), response.statusCode());
				}
			});
		}
		else {
			String expected = LlmStandIn.ANSWER_PREFIX + MessageIds.marker(id);
			this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
				long now = System.nanoTime();
				if (failure != null) {
					entry.failed(now, failure);
					return;
				}
				String body = response.body();
				String problem = (traffic == Traffic.WEB_STREAM && body.contains("event:error")) ? "stream error"
						: null;
				boolean complete = traffic == Traffic.WEB || body.contains("event:done");
				entry.answered(now, response.statusCode(), complete && body.contains(expected),
						(problem == null && !complete && response.statusCode() == 200) ? "stream incomplete" : problem);
			});
		}
	}

	private HttpRequest dingTalkRequest(String id, String user, String text) {
		long now = System.currentTimeMillis();
		String body = DingTalkCallbacks.textMessage("msg-" + id, user, text,
				this.environment.platform().sessionWebhook(id), now);
		return HttpRequest.newBuilder(URI.create(this.environment.clientUrl() + "/callback/dingtalk"))
			.header("Content-Type", "application/json; charset=utf-8")
			.header("timestamp", Long.toString(now))
			.header("sign", this.dingTalk.sign(now))
			.timeout(CALLBACK_TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private HttpRequest feishuRequest(String id, String user, String text) {
		long now = System.currentTimeMillis();
		String body = this.feishu
			.encrypted(FeishuCallbacks.textMessage("ev-" + id, PlatformStandIn.feishuMessageId(id), user, text, now));
		String timestamp = Long.toString(now / 1000);
		String nonce = Long.toString(now);
		return HttpRequest.newBuilder(URI.create(this.environment.clientUrl() + "/callback/feishu"))
			.header("Content-Type", "application/json; charset=utf-8")
			.header("X-Lark-Request-Timestamp", timestamp)
			.header("X-Lark-Request-Nonce", nonce)
			.header("X-Lark-Signature", this.feishu.sign(timestamp, nonce, body))
			.timeout(CALLBACK_TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private HttpRequest weComRequest(String user, String text) {
		long now = System.currentTimeMillis();
		String encrypt = this.weCom.encrypt(WeComCallbacks.textMessage(user, text, now));
		String timestamp = Long.toString(now / 1000);
		String nonce = Long.toString(now);
		URI uri = URI.create(this.environment.clientUrl() + "/callback/wecom?msg_signature="
				+ this.weCom.sign(timestamp, nonce, encrypt) + "&timestamp=" + timestamp + "&nonce=" + nonce);
		return HttpRequest.newBuilder(uri)
			.header("Content-Type", "text/xml; charset=utf-8")
			.timeout(CALLBACK_TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(WeComCallbacks.envelope(encrypt)))
			.build();
	}

	private HttpRequest webRequest(String path, String user, long conversation, String text) {
		// The run's tag in the conversation id too: with an API key the key names the
		// user, and each run must start its conversations afresh, as without one.
		String body = "{\"conversationId\":\"lt" + this.tag + "-c" + conversation + "\",\"userId\":\"" + user
				+ "\",\"message\":\"" + text + "\"}";
		return this.environment.authorize(HttpRequest.newBuilder(URI.create(this.environment.clientUrl() + path)))
			.header("Content-Type", "application/json")
			.timeout(WEB_TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	/**
	 * The floor: the same stand-in, called directly with the shape of the provider's
	 * request.
	 */
	private void floor(long start) {
		double rate = Math.max(1, this.plan.schedule().steps().get(0).perSecond() * this.plan.floorShare());
		long period = Math.round(1e9 / rate);
		URI uri = URI.create(this.environment.llm().openAiBaseUrl() + "/chat/completions");
		for (long n = 0; this.pacing; n++) {
			long due = start + n * period;
			long wait = due - System.nanoTime();
			while (wait > 0 && this.pacing) {
				LockSupport.parkNanos(Math.min(wait, 100_000_000L));
				wait = due - System.nanoTime();
			}
			if (!this.pacing) {
				return;
			}
			String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"question "
					+ MessageIds.marker("floor-" + this.tag + "-" + n) + "\"}],\"stream\":false}";
			HttpRequest request = HttpRequest.newBuilder(uri)
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer floor")
				.timeout(WEB_TIMEOUT)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept((response) -> {
				if (response.statusCode() == 200) {
					long nanos = System.nanoTime() - due;
					synchronized (this.floor) {
						LatencySummary.record(this.floor, nanos);
					}
				}
			});
		}
	}

	/**
	 * The machine's 1, 5 and 15 minute load averages: other work distorts a benchmark.
	 */
	private static String loadAverage() {
		try {
			String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (java.io.IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private RunReport report(String startedAt, long start, List<Outcome> outcomes, ResourceSampler.Resources resources,
			Map<String, Object> extra) {
		ArrivalSchedule schedule = this.plan.schedule();
		double seconds = schedule.duration().toNanos() / 1e9;
		double sendSeconds = Math.max(seconds, (this.lastSentNanos - start) / 1e9);
		LatencySummary floorSummary;
		synchronized (this.floor) {
			floorSummary = LatencySummary.of(this.floor);
		}
		Map<Traffic, List<Outcome>> byTraffic = new EnumMap<>(Traffic.class);
		for (Outcome outcome : outcomes) {
			byTraffic.computeIfAbsent(outcome.traffic(), (t) -> new ArrayList<>()).add(outcome);
		}
		List<TrafficResult> results = new ArrayList<>();
		for (Traffic traffic : this.plan.mix().keySet()) {
			long offered = this.plan.offered(traffic);
			if (offered == 0) {
				continue;
			}
			results.add(Results.summarise(traffic, byTraffic.getOrDefault(traffic, List.of()), offered, seconds,
					sendSeconds, this.environment.llm()::serviceNanos, floorSummary));
		}
		LlmStandIn llm = this.environment.llm();
		return new RunReport(this.plan.name(), this.plan.description(), startedAt, seconds, results, floorSummary,
				llm.pacingText(), llm.calls(), llm.maxInFlight(), resources, extra);
	}

}
