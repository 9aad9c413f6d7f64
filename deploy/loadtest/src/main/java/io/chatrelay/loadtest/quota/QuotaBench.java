package io.chatrelay.loadtest.quota;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import io.chatrelay.loadtest.standin.Durations;
import io.chatrelay.standalone.infra.EmbeddedRedis;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code quota-bench}: our Lua quotas against bucket4j's Jedis integration on one real
 * Redis (issue 13): exactness across two client nodes, then latency, throughput, round
 * trips and Redis CPU per acquire, alternating the implementations round by round.
 */
public final class QuotaBench {

	/** The sub-command's options. */
	public static final String USAGE = """
			quota-bench: our Lua quotas (chat-client's Quotas) against bucket4j's Jedis integration.
			  --redis-url=redis://127.0.0.1:6379  a Redis of your own (default: start redis-server under --home)
			  --home=deploy/loadtest/target/quota-bench   the embedded Redis' directory
			  --out=deploy/loadtest/target/results/quota-bench.md   the report
			  --warmup=5s      per implementation, before measuring
			  --window=3s      each measurement
			  --rounds=3       measurements of each kind per implementation (alternating)
			  --threads=16     threads for exactness and throughput, half on each of two nodes""";

	private static final Logger log = LoggerFactory.getLogger(QuotaBench.class);

	private QuotaBench() {
	}

	/**
	 * Run the bench from the command line's arguments and write the report.
	 * @param args the options after {@code quota-bench}
	 * @return the report
	 * @throws Exception if Redis cannot start or a measurement fails
	 */
	public static QuotaReport run(List<String> args) throws Exception {
		Settings settings = Settings.parse(args);
		QuotaReport report = bench(settings);
		Files.createDirectories(settings.out().toAbsolutePath().getParent());
		Files.writeString(settings.out(), report.markdown(), StandardCharsets.UTF_8);
		log.info("quota-bench report: {}\n{}", settings.out().toAbsolutePath(), report.markdown());
		return report;
	}

	/**
	 * Run the bench.
	 * @param settings the settings
	 * @return the report
	 * @throws Exception if Redis cannot start or a measurement fails
	 */
	static QuotaReport bench(Settings settings) throws Exception {
		EmbeddedRedis embedded = null;
		try {
			String url = settings.redisUrl();
			if (url == null) {
				Path dir = settings.home().resolve("redis");
				deleteTree(dir);
				embedded = EmbeddedRedis.start(0, dir);
				url = embedded.url();
			}
			URI uri = URI.create(url);
			return bench(settings, new HostAndPort(uri.getHost(), uri.getPort()), (embedded != null));
		}
		finally {
			if (embedded != null) {
				embedded.close();
			}
		}
	}

	private static QuotaReport bench(Settings settings, HostAndPort address, boolean embedded) throws Exception {
		String run = "qb" + Long.toString(System.currentTimeMillis(), 36);
		CountingJedis.Sent sent = new CountingJedis.Sent();
		GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
		poolConfig.setMaxTotal(settings.threads());
		poolConfig.setJmxEnabled(false);
		try (UnifiedJedis first = CountingJedis.open(address, settings.threads(), sent);
				UnifiedJedis second = CountingJedis.open(address, settings.threads(), sent);
				JedisPool firstPool = new JedisPool(poolConfig, address.getHost(), address.getPort());
				Jedis admin = new Jedis(address)) {
			String server = field(admin.info("server"), "redis_version");
			Instant started = Instant.now();
			List<Exactness.Check> checks = new ArrayList<>();
			for (Implementation implementation : Implementation.values()) {
				// One node on a JedisPool, the other on a UnifiedJedis: bucket4j's two
				// entry points.
				checks.addAll(new Exactness(implementation, new Implementation.Node(first, firstPool),
						new Implementation.Node(second, null), settings.threads(), run)
					.run());
			}
			checks.forEach((check) -> log.info("{} {}: expected {}, got {} -> {}", check.implementation().label(),
					check.name(), check.expected(), check.got(), check.exact() ? "exact" : "NOT EXACT"));
			Map<Implementation, CostRun> costs = new EnumMap<>(Implementation.class);
			for (Implementation implementation : Implementation.values()) {
				costs.put(implementation,
						new CostRun(implementation, new Implementation.Node(first, null),
								new Implementation.Node(second, null), sent,
								() -> RedisInfo.parse(admin.info("commandstats") + admin.info("cpu")), run));
			}
			for (Map.Entry<Implementation, CostRun> cost : costs.entrySet()) {
				log.info("Warming up {} for {}", cost.getKey().label(), settings.warmup());
				cost.getValue().latency(settings.warmup().multipliedBy(2).dividedBy(5));
				cost.getValue().throughput(settings.threads(), settings.warmup().multipliedBy(3).dividedBy(5));
			}
			Map<Implementation, List<CostRun.Measurement>> latencies = new EnumMap<>(Implementation.class);
			Map<Implementation, List<CostRun.Measurement>> throughputs = new EnumMap<>(Implementation.class);
			for (int round = 1; round <= settings.rounds(); round++) {
				for (Map.Entry<Implementation, CostRun> cost : costs.entrySet()) {
					CostRun.Measurement latency = cost.getValue().latency(settings.window());
					CostRun.Measurement throughput = cost.getValue().throughput(settings.threads(), settings.window());
					latencies.computeIfAbsent(cost.getKey(), (k) -> new ArrayList<>()).add(latency);
					throughputs.computeIfAbsent(cost.getKey(), (k) -> new ArrayList<>()).add(throughput);
					log.info("Round {} {}: p50 {} µs, p99 {} µs, {} acquires/s, {} round trips/acquire", round,
							cost.getKey().label(), latency.micros().getValueAtPercentile(50),
							latency.micros().getValueAtPercentile(99), Math.round(throughput.perSecond()),
							String.format(java.util.Locale.ROOT, "%.2f", throughput.roundTrips()));
				}
			}
			return new QuotaReport(settings, started, server, embedded, version("redis.clients", "jedis"),
					version("com.bucket4j", "bucket4j_jdk17-jedis"), checks, latencies, throughputs);
		}
	}

	private static String field(String info, String name) {
		return info.lines()
			.filter((line) -> line.startsWith(name + ":"))
			.map((line) -> line.substring(name.length() + 1).trim())
			.findFirst()
			.orElse("?");
	}

	/**
	 * The version of a jar on the class path, from its Maven properties.
	 * @param group its group
	 * @param artifact its artifact
	 * @return the version, or {@code ?}
	 */
	static String version(String group, String artifact) {
		String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
		try (InputStream in = QuotaBench.class.getResourceAsStream(resource)) {
			if (in == null) {
				return "?";
			}
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version", "?");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/**
	 * The bench's settings.
	 *
	 * @param redisUrl a Redis of one's own, or {@code null} to start one
	 * @param home where the embedded Redis keeps its files
	 * @param out the report's file
	 * @param warmup warm-up per implementation
	 * @param window each measurement's length
	 * @param rounds measurements of each kind per implementation
	 * @param threads threads for exactness and throughput
	 */
	record Settings(String redisUrl, Path home, Path out, Duration warmup, Duration window, int rounds, int threads) {

		static Settings parse(List<String> args) {
			String redisUrl = null;
			Path home = Path.of("deploy/loadtest/target/quota-bench");
			Path out = Path.of("deploy/loadtest/target/results/quota-bench.md");
			Duration warmup = Duration.ofSeconds(5);
			Duration window = Duration.ofSeconds(3);
			int rounds = 3;
			int threads = 16;
			for (String arg : args) {
				int equals = arg.indexOf('=');
				if (!arg.startsWith("--") || equals < 0) {
					throw new IllegalArgumentException(
							"quota-bench takes --name=value options, not '" + arg + "'\n" + USAGE);
				}
				String name = arg.substring(2, equals);
				String value = arg.substring(equals + 1);
				switch (name) {
					case "redis-url" -> redisUrl = value;
					case "home" -> home = Path.of(value);
					case "out" -> out = Path.of(value);
					case "warmup" -> warmup = Durations.parse(value);
					case "window" -> window = Durations.parse(value);
					case "rounds" -> rounds = Integer.parseInt(value);
					case "threads" -> threads = Integer.parseInt(value);
					default -> throw new IllegalArgumentException("Unknown option --" + name + "\n" + USAGE);
				}
			}
			if (rounds < 1 || threads < 2) {
				throw new IllegalArgumentException("--rounds must be 1 or more and --threads 2 or more");
			}
			return new Settings(redisUrl, home, out, warmup, window, rounds, threads);
		}

	}

}
