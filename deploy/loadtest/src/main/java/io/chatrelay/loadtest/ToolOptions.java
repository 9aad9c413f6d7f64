package io.chatrelay.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.report.BurstCriteria;
import io.chatrelay.loadtest.standin.Durations;
import io.chatrelay.loadtest.traffic.Traffic;

/**
 * The command line: scenario names, then {@code --key=value} options. Every option has a
 * default; a scenario sets its own defaults, which options given here override.
 *
 * @param scenarios the scenarios to run, in order
 * @param values the options given
 */
record ToolOptions(List<String> scenarios, Map<String, String> values) {

	/** What {@code --help} prints. */
	static final String USAGE = """
			Usage: java -jar chat-relay-loadtest.jar [scenario ...] [--option=value ...]

			       java -jar chat-relay-loadtest.jar jfr-top <file.jfr ...> [--out=file.md]   (where a profile's time went)
			       java -jar chat-relay-loadtest.jar cpu-top <file.collapsed> [--out=file.md]   (the same for async-profiler)
			       java -jar chat-relay-loadtest.jar quota-bench [--help] [--option=value ...]   (our Lua quotas vs bucket4j, issue 13)

			Scenarios: standard (= s1 s2 s3 s4, the default), s1, s2, s3, s4, burst, front-door, smoke, custom
			  s1  steady 500 msg/s for 60 s (DingTalk 4 : web 1), model 50 ms
			  s2  ramp in steps to saturation: the highest rate with overhead p99 <= 50 ms and no errors
			  s3  10,000 conversations in flight: 8,000 DingTalk + 2,000 web streams in 5 s on a 5 s model
			  s4  s1 with the degrade switch flipped every 5 s: propagation and failed requests
			  burst  issue 14: 1.5 x capacity for 30 s, then 0.5 x capacity for 60 s (s1's mix and model);
			         answers/s during the burst, lost, and the recovery of the overhead p99 in 5 s windows
			  front-door  issue 14: new connections at 500 ... 4,000/s, one request each (Connection: close):
			         connect and response times, connect timeouts (the accept queue full), statuses
			  smoke  20 msg/s for 5 s, DingTalk, Feishu, WeCom, web and web streams
			  custom  what the options say

			Options (a scenario's defaults in brackets apply unless given):
			  --rate=500            messages per second
			  --duration=60s        how long
			  --mix=dingtalk:4,web:1  traffic weights: dingtalk, feishu, wecom, web, web-stream
			  --conversations=N     conversations to rotate over [rate x 10 s: a user writes every 10 s]
			  --llm-latency=fixed:50ms  time to the first token: fixed:D, uniform:D..D, lognormal:P50,P99
			  --tokens=8 --token-rate=0   tokens per answer, and per second after the first (0: at once)
			  --warmup=60s          unmeasured load first, at half the rate (S2: of its top step, burst: of the burst's), at most 150/s,
			                        in 15 s blocks: at least this long, then on while a node's JIT takes more than
			  --warmup-jit=0.10     cores (its C1/C2 compiler threads), up to
			  --warmup-max=300s     in all
			  --grace=30s           wait for the last replies before counting them lost
			  --floor-share=0.05    the floor's rate, as a share of the rate
			  --inbox-concurrency=256 --inbox-max-backlog=10000   client settings
			  --client-properties=k=v,k2=v2   more client settings, e.g. chat.client.inbox.max-queue-delay=2s
			  --s2-rates=50,100,150,...,3000  --s2-step=15s   the ramp's steps
			  --capacity=400        burst: the node's capacity N in msg/s (default: S2's highest passing rate)
			  --burst=30s --calm=60s   burst: how long 1.5 x N, then how long 0.5 x N
			  --window=5s           burst: the report's time windows (by each message's due time)
			  --recovery-p99=50     burst: overhead p99 (ms) under which a window has recovered
			  --recover-within=15s  burst: the longest recovery that passes
			  --front-door-rates=500,1000,2000,3000,4000  --front-door-step=10s   front-door: the steps
			  --front-door-path=/actuator/health/liveness   front-door: what each connection GETs
			  --security=on         on: mutual TLS client-provider, web chats with a tenant API key, quotas
			                        evaluated (never reached), word filter with 500 words (never matching);
			                        off: plaintext Triple, anonymous web chats, quotas and filter switched off
			  --heap=512m           -Xmx of the client and the provider
			  --node-jvm-args="-Dx=y ..."  more JVM arguments of both nodes
			  --jfr                 record a JFR profile of both nodes during each measured run (into <home>/profiles)
			  --async-profiler=LIB  libasyncProfiler.so: CPU profile (collapsed stacks) of both nodes per measured run
			  --results=DIR         where reports go [deploy/loadtest/target/results]
			  --home=DIR            logs and data of the system [deploy/loadtest/target/run]
			  --nodes=DIR           chat-provider.jar and chat-client.jar [deploy/loadtest/target/nodes]
			  --target=URL          use a running client instead of starting the system; then also
			                        --llm-port and --platform-port (the provider must use the LLM stand-in,
			                        the client the DingTalk credentials of DingTalkCallbacks),
			                        and optionally --provider-actuator=URL --zk=HOST:PORT --client-pid --provider-pid
			""";

	/**
	 * Read the command line.
	 * @param args the arguments
	 * @return the options
	 * @throws IllegalArgumentException on an argument that is neither a scenario nor an
	 * option
	 */
	static ToolOptions parse(String... args) {
		List<String> scenarios = new ArrayList<>();
		Map<String, String> values = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--")) {
				int equals = arg.indexOf('=');
				values.put((equals < 0) ? arg.substring(2) : arg.substring(2, equals),
						(equals < 0) ? "true" : arg.substring(equals + 1));
			}
			else if (arg.equalsIgnoreCase("standard")) {
				scenarios.addAll(List.of("s1", "s2", "s3", "s4"));
			}
			else if (List.of("s1", "s2", "s3", "s4", "burst", "front-door", "smoke", "custom")
				.contains(arg.toLowerCase())) {
				scenarios.add(arg.toLowerCase());
			}
			else {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + USAGE);
			}
		}
		if (values.containsKey("security")) {
			Security.of(values.get("security"));
		}
		if (scenarios.isEmpty() && !values.containsKey("help")) {
			scenarios.addAll(List.of("s1", "s2", "s3", "s4"));
		}
		return new ToolOptions(scenarios, values);
	}

	ToolOptions {
		scenarios = List.copyOf(scenarios);
		values = Map.copyOf(values);
	}

	String text(String key, String fallback) {
		return this.values.getOrDefault(key, fallback);
	}

	/**
	 * Settings given as {@code k=v,k2=v2} (no secrets: a command line is visible in
	 * {@code ps}).
	 * @param key the option
	 * @return the settings in order, none when not given
	 */
	Map<String, String> properties(String key) {
		Map<String, String> properties = new LinkedHashMap<>();
		String given = this.values.get(key);
		if (given == null || given.isBlank()) {
			return properties;
		}
		for (String pair : given.split(",")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("--" + key + " takes name=value pairs separated by commas: " + pair);
			}
			properties.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
		}
		return properties;
	}

	int integer(String key, int fallback) {
		return this.values.containsKey(key) ? Integer.parseInt(this.values.get(key)) : fallback;
	}

	double decimal(String key, double fallback) {
		return this.values.containsKey(key) ? Double.parseDouble(this.values.get(key)) : fallback;
	}

	Duration duration(String key, Duration fallback) {
		return this.values.containsKey(key) ? Durations.parse(this.values.get(key)) : fallback;
	}

	boolean flag(String key) {
		return Boolean.parseBoolean(this.values.getOrDefault(key, "false"));
	}

	/**
	 * Issue 13's controls on the system the tool starts.
	 * @return {@code --security}, default on
	 */
	Security security() {
		return Security.of(text("security", "on"));
	}

	/**
	 * The burst scenario's shape and bar.
	 * @return {@code --capacity}, {@code --burst}, {@code --calm}, {@code --window},
	 * {@code --recovery-p99}, {@code --recover-within}, each defaulting to issue 14's
	 */
	BurstCriteria burstCriteria() {
		return new BurstCriteria(decimal("capacity", BurstCriteria.DEFAULT_CAPACITY),
				duration("burst", BurstCriteria.DEFAULT_BURST), duration("calm", BurstCriteria.DEFAULT_CALM),
				duration("window", BurstCriteria.DEFAULT_WINDOW),
				decimal("recovery-p99", BurstCriteria.DEFAULT_OVERHEAD_P99_MS),
				duration("recover-within", BurstCriteria.DEFAULT_RECOVER_WITHIN));
	}

	Path path(String key, String fallback) {
		return Path.of(text(key, fallback)).toAbsolutePath();
	}

	/**
	 * The traffic mix.
	 * @param fallback the scenario's mix, e.g. {@code dingtalk:4,web:1}
	 * @return traffic to weight, in the given order
	 */
	Map<Traffic, Integer> mix(String fallback) {
		Map<Traffic, Integer> mix = new EnumMap<>(Traffic.class);
		for (String part : text("mix", fallback).split(",")) {
			String[] pieces = part.split(":");
			mix.put(Traffic.of(pieces[0]), (pieces.length > 1) ? Integer.parseInt(pieces[1].strip()) : 1);
		}
		return mix;
	}

	/**
	 * A list of rates.
	 * @param key the option
	 * @param fallback e.g. {@code 500,1000}
	 * @return the rates
	 */
	List<Double> rates(String key, String fallback) {
		return Arrays.stream(text(key, fallback).split(",")).map(String::strip).map(Double::parseDouble).toList();
	}

}
