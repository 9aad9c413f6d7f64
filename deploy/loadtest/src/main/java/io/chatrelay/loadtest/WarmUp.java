package io.chatrelay.loadtest;

import java.time.Duration;
import java.util.Map;

import io.chatrelay.loadtest.measure.JitActivity;
import io.chatrelay.loadtest.report.RunReport;
import io.chatrelay.loadtest.traffic.ArrivalSchedule;
import io.chatrelay.loadtest.traffic.Traffic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmeasured load before a measured run, in 15 s blocks: for at least {@code least}, then
 * on while either node's JIT compilers ({@link JitActivity}) still use more than
 * {@code quietCores} of a core, up to {@code most} in all. C2 still took a third of the
 * nodes' CPU 20 s after start at 100 msg/s, and 13-34 % of the client's after the 60 s
 * that used to be the whole warm-up: a run measured then reports the JIT, not the node.
 *
 * @param least the shortest warm-up ({@code --warmup}, 60 s; zero: none)
 * @param most the longest ({@code --warmup-max}, 300 s)
 * @param quietCores the JIT share under which a node counts as warm
 * ({@code --warmup-jit}, 0.10)
 */
record WarmUp(Duration least, Duration most, double quietCores) {

	private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

	private static final Duration BLOCK = Duration.ofSeconds(15);

	/**
	 * Warm a system.
	 * @param name the scenario
	 * @param environment the system
	 * @param rate messages per second
	 * @param mix the traffic
	 * @param conversations how many conversations to rotate over
	 * @return how it went, for the reports: length, rate, and the JIT's last share
	 * @throws InterruptedException if interrupted
	 */
	String run(String name, Environment environment, double rate, Map<Traffic, Integer> mix, int conversations)
			throws InterruptedException {
		if (this.least.isZero()) {
			return "none";
		}
		JitActivity client = new JitActivity(environment.clientPid());
		JitActivity provider = new JitActivity(environment.providerPid());
		Duration done = Duration.ZERO;
		double clientJit;
		double providerJit;
		do {
			Duration block = (done.compareTo(this.least) < 0 && done.plus(BLOCK).compareTo(this.least) > 0)
					? this.least.minus(done) : BLOCK;
			RunPlan plan = new RunPlan(name + "-warmup", "warm-up", ArrivalSchedule.steady(rate, block), mix,
					conversations, 0.05, Duration.ofSeconds(30));
			RunReport report = new LoadRun(environment, plan, RunHook.NONE).execute();
			done = done.plus(block);
			clientJit = client.coresSinceLast();
			providerJit = provider.coresSinceLast();
			log.info("{} warm-up {} s at {}/s: JIT client {} cores, provider {}; {} errors, overhead p99 {} ms", name,
					done.toSeconds(), rate, round(clientJit), round(providerJit), report.errors(),
					Math.round(report.overheadP99Ms()));
		}
		while (goesOn(done, Math.max(clientJit, providerJit)));
		return done.toSeconds() + " s at " + Math.round(rate) + " msg/s; JIT in its last block: client "
				+ round(clientJit) + ", provider " + round(providerJit) + " cores";
	}

	/**
	 * Whether to warm for another block.
	 * @param done how long it warmed so far
	 * @param jitCores the busier node's compilers in the last block, in cores
	 * @return {@code true} while under {@code least}, or while the JIT is busy and
	 * another block fits into {@code most}
	 */
	boolean goesOn(Duration done, double jitCores) {
		return done.compareTo(this.least) < 0
				|| (jitCores > this.quietCores && done.plus(BLOCK).compareTo(this.most) <= 0);
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
