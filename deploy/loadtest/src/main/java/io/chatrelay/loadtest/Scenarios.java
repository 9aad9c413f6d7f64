package io.chatrelay.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.measure.Profiler;
import io.chatrelay.loadtest.report.BurstCriteria;
import io.chatrelay.loadtest.report.BurstResult;
import io.chatrelay.loadtest.report.ReportWriter;
import io.chatrelay.loadtest.report.RunReport;
import io.chatrelay.loadtest.standin.LatencyModel;
import io.chatrelay.loadtest.standin.LlmStandIn;
import io.chatrelay.loadtest.standin.PlatformStandIn;
import io.chatrelay.loadtest.traffic.ArrivalSchedule;
import io.chatrelay.loadtest.traffic.Traffic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard scenarios of issue 6 (S1 to S4), issue 14's burst, the smoke run and a
 * custom one, each on a freshly started system (or on {@code --target}) after an
 * unmeasured warm-up.
 */
final class Scenarios {

	/** The model of S1, S2 and S4: 50 ms to the answer, 8 tokens at once. */
	static final LlmStandIn.Pacing DEFAULT_PACING = new LlmStandIn.Pacing(LatencyModel.parse("fixed:50ms"), 8, 0);

	/** S3's model: the first token after 1 s, then 40 more at 10 per second: 5 s. */
	static final LlmStandIn.Pacing FIVE_SECOND_STREAM = new LlmStandIn.Pacing(LatencyModel.parse("fixed:1s"), 41, 10);

	/** S2 passes a step when the overhead p99 stays within this and nothing fails. */
	static final double S2_OVERHEAD_P99_MS = 50;

	private static final Logger log = LoggerFactory.getLogger(Scenarios.class);

	private final ToolOptions options;

	private final LlmStandIn llm;

	private final PlatformStandIn platform;

	/** How the last system was warmed ({@link WarmUp}), for the reports of its runs. */
	private String warmup = "none";

	Scenarios(ToolOptions options, LlmStandIn llm, PlatformStandIn platform) {
		this.options = options;
		this.llm = llm;
		this.platform = platform;
	}

	/**
	 * Run one scenario.
	 * @param name {@code s1}, {@code s2}, {@code s3}, {@code s4}, {@code burst},
	 * {@code front-door}, {@code smoke} or {@code custom}
	 * @return its reports (S2: one per step)
	 * @throws Exception if the system cannot start
	 */
	List<RunReport> run(String name) throws Exception {
		return switch (name) {
			case "s1" -> steady("S1", 500, Duration.ofSeconds(60), "dingtalk:4,web:1", DEFAULT_PACING, 256, false);
			case "s4" -> steady("S4", 500, Duration.ofSeconds(60), "dingtalk:4,web:1", DEFAULT_PACING, 256, true);
			case "smoke" -> steady("smoke", 20, Duration.ofSeconds(5), "dingtalk:2,feishu:1,wecom:1,web:1,web-stream:1",
					DEFAULT_PACING, 256, false);
			case "custom" ->
				steady("custom", 100, Duration.ofSeconds(30), "dingtalk:4,web:1", DEFAULT_PACING, 256, false);
			case "s2" -> ramp();
			case "s3" -> inFlight();
			case "burst" -> burst();
			case "front-door" -> frontDoor();
			default -> throw new IllegalArgumentException("Unknown scenario " + name);
		};
	}

	private List<RunReport> steady(String name, double defaultRate, Duration defaultDuration, String defaultMix,
			LlmStandIn.Pacing defaultPacing, int defaultConcurrency, boolean flips) throws Exception {
		double rate = this.options.decimal("rate", defaultRate);
		Duration duration = this.options.duration("duration", defaultDuration);
		LlmStandIn.Pacing pacing = pacing(defaultPacing);
		SystemUnderTest.Settings settings = settings(defaultConcurrency, 10_000);
		RunPlan plan = new RunPlan(name,
				rate + " msg/s for " + duration.toSeconds() + " s, mix " + this.options.text("mix", defaultMix)
						+ (flips ? ", degrade flipped every 5 s from 10 s" : ""),
				ArrivalSchedule.steady(rate, duration), this.options.mix(defaultMix), conversations(rate),
				this.options.decimal("floor-share", 0.05), this.options.duration("grace", Duration.ofSeconds(30)));
		return withSystem(name, settings, pacing, Math.min(rate / 2, 150), plan.mix(), (environment) -> {
			RunHook hook = flips ? new DegradeFlips(environment, Duration.ofSeconds(10), Duration.ofSeconds(5),
					duration.minusSeconds(5)) : RunHook.NONE;
			return List.of(measured(name, environment, plan, hook, settings));
		});
	}

	/** S2: steps of rising rate, each measured on its own, until one misses the bar. */
	private List<RunReport> ramp() throws Exception {
		List<Double> rates = this.options.rates("s2-rates", "50,100,150,200,300,400,500,750,1000,1500,2000,3000");
		Duration step = this.options.duration("s2-step", Duration.ofSeconds(15));
		String mix = "dingtalk:4,web:1";
		SystemUnderTest.Settings settings = settings(1024, 10_000);
		// Warmed like S1 (half the top rate, at most 150/s): warmed at the first step's
		// 50/s, the JIT was still compiling in the steps that decide.
		double warmup = Math.min(rates.get(rates.size() - 1) / 2, 150);
		return withSystem("S2", settings, pacing(DEFAULT_PACING), warmup, this.options.mix(mix), (environment) -> {
			List<RunReport> reports = new ArrayList<>();
			double best = 0;
			for (double rate : rates) {
				RunPlan plan = new RunPlan("S2@" + (long) rate, rate + " msg/s for " + step.toSeconds() + " s",
						ArrivalSchedule.steady(rate, step), this.options.mix(mix), conversations(rate),
						this.options.decimal("floor-share", 0.05),
						this.options.duration("grace", Duration.ofSeconds(30)));
				RunReport report = measured("S2-" + (long) rate, environment, plan, RunHook.NONE, settings);
				boolean pass = report.errors() == 0 && report.lost() == 0
						&& report.overheadP99Ms() <= S2_OVERHEAD_P99_MS
						&& report.traffic().stream().allMatch((t) -> t.achievedRate() >= 0.97 * t.offeredRate());
				reports.add(report.with("s2Pass", pass));
				log.info("S2 at {} msg/s: {}", rate, pass ? "pass" : "miss");
				if (!pass) {
					break;
				}
				best = rate;
			}
			List<RunReport> marked = new ArrayList<>();
			for (RunReport report : reports) {
				marked.add(report.with("s2HighestPassingRate", best));
			}
			return marked;
		});
	}

	/**
	 * S3: 10,000 conversations, each one message, sent within 5 s onto a model that takes
	 * 5 s, so all are in flight at once: DingTalk messages wait in the inbox and are
	 * answered {@code inbox.concurrency} at a time, web streams hold their connection
	 * through the client and the provider to the stand-in.
	 */
	private List<RunReport> inFlight() throws Exception {
		int total = this.options.integer("conversations", 10_000);
		Duration burst = this.options.duration("duration", Duration.ofSeconds(5));
		double rate = total / (burst.toNanos() / 1e9);
		String mix = "dingtalk:4,web-stream:1";
		SystemUnderTest.Settings settings = settings(4096, 100_000);
		RunPlan plan = new RunPlan("S3",
				total + " conversations within " + burst.toSeconds() + " s, mix " + this.options.text("mix", mix),
				ArrivalSchedule.steady(rate, burst), this.options.mix(mix), total,
				this.options.decimal("floor-share", 0.01), this.options.duration("grace", Duration.ofSeconds(180)));
		LlmStandIn.Pacing pacing = pacing(FIVE_SECOND_STREAM);
		return withSystem("S3", settings, DEFAULT_PACING, 100, this.options.mix("dingtalk:4,web:1"), (environment) -> {
			this.llm.pacing(pacing);
			return List.of(measured("S3", environment, plan, RunHook.NONE, settings));
		});
	}

	/**
	 * Issue 14's burst: {@code --capacity} N offered at 1.5 × N for {@code --burst}, then
	 * at 0.5 × N for {@code --calm}, S1's mix and model, as one measured run on one
	 * system; {@link BurstCheck} measures the burst's throughput and the recovery after
	 * it. Warmed like S2, at half the top rate, at most 150/s. The users are sized for
	 * the capacity (N × 10 conversations), so during the burst each writes more often.
	 */
	private List<RunReport> burst() throws Exception {
		BurstCriteria criteria = this.options.burstCriteria();
		String mix = "dingtalk:4,web:1";
		SystemUnderTest.Settings settings = settings(256, 10_000);
		RunPlan plan = new RunPlan("burst",
				criteria.burstRate() + " msg/s for " + criteria.burst().toSeconds() + " s, then " + criteria.calmRate()
						+ " msg/s for " + criteria.calm().toSeconds() + " s (capacity " + criteria.capacity()
						+ " msg/s), mix " + this.options.text("mix", mix),
				criteria.schedule(), this.options.mix(mix), conversations(criteria.capacity()),
				this.options.decimal("floor-share", 0.05), this.options.duration("grace", Duration.ofSeconds(30)));
		return withSystem("burst", settings, pacing(DEFAULT_PACING), Math.min(criteria.burstRate() / 2, 150),
				plan.mix(), (environment) -> {
					RunReport report = measured("burst", environment, plan, new BurstCheck(criteria), settings);
					BurstResult result = (BurstResult) report.extra().get(BurstCheck.RESULT);
					log.info("burst at capacity {} msg/s: {}", criteria.capacity(), result.pass() ? "pass" : "miss");
					return List.of(report);
				});
	}

	/** Issue 14's front door ({@link FrontDoor}) on a system at rest otherwise. */
	private List<RunReport> frontDoor() throws Exception {
		FrontDoor door = new FrontDoor(this.options.rates("front-door-rates", "500,1000,2000,3000,4000"),
				this.options.duration("front-door-step", Duration.ofSeconds(10)),
				this.options.text("front-door-path", FrontDoor.DEFAULT_PATH));
		return withSystem("front-door", settings(256, 10_000), DEFAULT_PACING, 50, this.options.mix("dingtalk:4,web:1"),
				(environment) -> door.run(environment.clientUrl(), environment.processes()));
	}

	private RunReport measured(String name, Environment environment, RunPlan plan, RunHook hook,
			SystemUnderTest.Settings settings) throws Exception {
		boolean jfr = this.options.flag("jfr");
		Path logs = this.options.path("home", "deploy/loadtest/target/run").resolve("profiles");
		java.nio.file.Files.createDirectories(logs);
		if (jfr) {
			Profiler.start(environment.clientPid(), logs.resolve(name + "-client.jfr"));
			Profiler.start(environment.providerPid(), logs.resolve(name + "-provider.jfr"));
		}
		Path asyncProfiler = this.options.values().containsKey("async-profiler")
				? this.options.path("async-profiler", "") : null;
		if (asyncProfiler != null) {
			Profiler.startAsyncProfiler(environment.clientPid(), asyncProfiler);
			Profiler.startAsyncProfiler(environment.providerPid(), asyncProfiler);
		}
		RunReport report;
		try {
			report = new LoadRun(environment, plan, hook).execute();
		}
		finally {
			if (jfr) {
				Profiler.stop(environment.clientPid());
				Profiler.stop(environment.providerPid());
			}
			if (asyncProfiler != null) {
				Profiler.stopAsyncProfiler(environment.clientPid(), asyncProfiler,
						logs.resolve(name + "-client.collapsed"));
				Profiler.stopAsyncProfiler(environment.providerPid(), asyncProfiler,
						logs.resolve(name + "-provider.collapsed"));
			}
		}
		report = report.with("warmup", this.warmup);
		for (Map.Entry<String, Object> note : LoadTool.settingsNote(settings, this.options.text("target", null) != null)
			.entrySet()) {
			report = report.with(note.getKey(), note.getValue());
		}
		return report;
	}

	private List<RunReport> withSystem(String name, SystemUnderTest.Settings settings, LlmStandIn.Pacing pacing,
			double warmupRate, Map<Traffic, Integer> warmupMix, Body body) throws Exception {
		this.llm.pacing(pacing);
		String target = this.options.text("target", null);
		if (target != null) {
			Environment environment = new Environment(target, this.llm, this.platform,
					this.options.integer("client-pid", 0), this.options.integer("provider-pid", 0),
					this.options.text("provider-actuator", null), this.options.text("zk", null), null, null, null);
			warmUp(name, environment, warmupRate, warmupMix);
			return body.run(environment);
		}
		Path home = this.options.path("home", "deploy/loadtest/target/run").resolve(name.toLowerCase());
		Path nodes = this.options.path("nodes", "deploy/loadtest/target/nodes");
		log.info("{}: starting the system (logs in {})", name, home.resolve("logs"));
		try (SystemUnderTest system = SystemUnderTest.start(home, nodes, this.llm, this.platform.baseUrl(), settings)) {
			// Ctrl-C or a kill of the tool must not leave the node JVMs and Redis behind.
			Thread stopper = new Thread(system::close, "stop-system");
			Runtime.getRuntime().addShutdownHook(stopper);
			try {
				Environment environment = system.environment(this.llm, this.platform);
				LoadTool.awaitServing(environment, Duration.ofSeconds(90));
				warmUp(name, environment, warmupRate, warmupMix);
				return body.run(environment);
			}
			finally {
				Runtime.getRuntime().removeShutdownHook(stopper);
			}
		}
	}

	private void warmUp(String name, Environment environment, double rate, Map<Traffic, Integer> mix)
			throws InterruptedException {
		this.warmup = new WarmUp(this.options.duration("warmup", Duration.ofSeconds(60)),
				this.options.duration("warmup-max", Duration.ofSeconds(300)), this.options.decimal("warmup-jit", 0.10))
			.run(name, environment, rate, mix, conversations(rate));
	}

	private LlmStandIn.Pacing pacing(LlmStandIn.Pacing fallback) {
		LatencyModel latency = this.options.values().containsKey("llm-latency")
				? LatencyModel.parse(this.options.text("llm-latency", "")) : fallback.latency();
		return new LlmStandIn.Pacing(latency, this.options.integer("tokens", fallback.tokens()),
				this.options.decimal("token-rate", fallback.tokensPerSecond()));
	}

	private SystemUnderTest.Settings settings(int concurrency, int backlog) {
		return SystemUnderTest.Settings.DEFAULTS
			.withInbox(this.options.integer("inbox-concurrency", concurrency),
					this.options.integer("inbox-max-backlog", backlog))
			.withHeap(this.options.text("heap", "512m"))
			.withSecurity(this.options.security())
			.withClientProperties(this.options.properties("client-properties"))
			.withJvmArgs(this.options.values().containsKey("node-jvm-args")
					? List.of(this.options.text("node-jvm-args", "").trim().split("\\s+")) : List.of());
	}

	/** A user writes every 10 s: rate × 10 conversations, unless given. */
	private int conversations(double rate) {
		return this.options.integer("conversations", (int) Math.max(1, Math.round(rate * 10)));
	}

	@FunctionalInterface
	private interface Body {

		List<RunReport> run(Environment environment) throws Exception;

	}

}
