package io.chatrelay.standalone.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatrelay.standalone.infra.NacosOpenApi;
import io.chatrelay.standalone.infra.RoutingPublisher;
import io.chatrelay.standalone.launcher.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production path: ChatRelay on a real Nacos (from {@code ../shared/nacos}) with
 * authentication on, once for every server version there. Per version, one Nacos and one
 * system: namespaces {@code prod} and {@code staging}; in {@code prod} two providers and
 * two client nodes with the DingTalk channel (the {@link DrillSystem}); in
 * {@code staging} one provider with its own OpenAI stand-in. The nodes get the Nacos user
 * and password as Dubbo's registry properties, never in the address. Operators' actions
 * (publishing and deleting the routing document, reading the instance list) go through
 * the Nacos Open API.
 *
 * <p>
 * The tests run in order on the same system: discovery, the degrade switch (20 flips,
 * propagation printed), an invalid and a deleted document, then the drills (a provider
 * frozen 40 s, Nacos stopped 30 s, a provider killed), each counted
 * {@code sent / acked / replied / duplicates / lost}; last, the staging provider's calls
 * and the credentials in the logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NacosSystemIT {

	private static final System.Logger log = System.getLogger(NacosSystemIT.class.getName());

	private static final String SERVICE = "providers:io.chatrelay.api.ChatService::";

	private static final String NORMAL = "primary: chatgpt\nfallback: [chatglm, ernie]\ndegrade:\n  enabled: false\n"
			+ "  target: chatglm\n";

	private static final String DEGRADED = "primary: chatgpt\nfallback: [chatglm, ernie]\ndegrade:\n  enabled: true\n"
			+ "  target: chatglm\n";

	private static final Duration APPLIED = Duration.ofSeconds(5);

	/** One running system per Nacos version, started by the first test that needs it. */
	private static final Map<String, NacosRun> RUNS = new TreeMap<>();

	static Stream<String> versions() {
		return NacosServer.versions().stream();
	}

	@BeforeAll
	static void needsNacos() {
		// Skips the class with the reason (fails under CI=true) without ../shared/nacos.
		assertThat(NacosServer.versions()).isNotEmpty();
	}

	@AfterAll
	static void stopAll() {
		RUNS.values().forEach(NacosRun::close);
		RUNS.clear();
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(1)
	void nodesFindTheProvidersOfTheirOwnNamespaceAndAnswer(String version) throws Exception {
		NacosRun run = run(version);

		assertThat(listedPorts(run, "prod")).as("providers listed in prod")
			.containsExactlyInAnyOrder(run.cluster().providerDubboPort(0), run.cluster().providerDubboPort(1));
		assertThat(listedPorts(run, "staging")).as("providers listed in staging")
			.containsExactly(run.cluster().providerDubboPort(2));
		DrillLoad load = run.system.load("nacos-" + version + "-discovery");
		load.run(5, Duration.ofSeconds(5), 1, Map.of());
		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(60)));
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(2)
	void degradeFlipsPublishedThroughTheOpenApiReachEveryProviderWithinASecond(String version) throws Exception {
		NacosRun run = run(version);
		List<Long> millis = new ArrayList<>();

		for (int flip = 1; flip <= 20; flip++) {
			boolean degraded = flip % 2 == 1;
			long published = System.nanoTime();
			run.prod.publish(RoutingPublisher.KEY, degraded ? DEGRADED : NORMAL);
			for (int provider = 0; provider < 2; provider++) {
				ProviderMetrics.awaitDegraded(run.cluster().provider(provider), degraded ? 1 : 0, APPLIED);
				millis.add((System.nanoTime() - published) / 1_000_000);
			}
			// The staging provider reads its own namespace's document, which nobody
			// published.
			assertThat(ProviderMetrics.degraded(run.cluster().provider(2))).as("staging provider degraded").isZero();
		}

		List<Long> sorted = millis.stream().sorted().toList();
		long p50 = sorted.get(sorted.size() / 2);
		long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
		log.log(System.Logger.Level.INFO,
				"NACOS {0}: degrade propagation over 20 flips x 2 providers (publish -> gauge): p50 {1} ms, p99 {2} ms, "
						+ "max {3} ms",
				version, p50, p99, sorted.get(sorted.size() - 1));
		assertThat(p50).as("propagation p50 (ms)").isLessThanOrEqualTo(1000);
		assertThat(p99).as("propagation p99 (ms)").isLessThanOrEqualTo(2000);
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(3)
	void anInvalidDocumentIsRejectedAndTheRoutingKept(String version) throws Exception {
		NacosRun run = run(version);
		// As the launcher's publish-routing command does it, credentials from the
		// environment.
		RoutingPublisher.publishTo(run.prod.address(), RoutingPublisher.KEY, DEGRADED,
				Map.of("REGISTRY_USERNAME", NacosServer.USERNAME, "REGISTRY_PASSWORD", run.server.password()));
		awaitBothProviders(run, 1);

		// One at a time: a listener gets the latest content, so a document replaced at
		// once
		// may never be seen.
		Map<String, String> invalidToReason = new java.util.LinkedHashMap<>();
		invalidToReason.put("primary: [chatgpt", "Rejected routing document: not valid YAML");
		invalidToReason.put("degrade: {enabled: false, target: llama}", "unknown vendor 'llama'");
		invalidToReason.put("fallback: []", "at least one vendor");
		for (Map.Entry<String, String> invalid : invalidToReason.entrySet()) {
			run.prod.publish(RoutingPublisher.KEY, invalid.getKey());
			awaitLog(run.cluster().provider(0), invalid.getValue(), APPLIED);
			awaitLog(run.cluster().provider(1), invalid.getValue(), APPLIED);
		}

		assertThat(ProviderMetrics.degraded(run.cluster().provider(0))).isEqualTo(1);
		assertThat(ProviderMetrics.degraded(run.cluster().provider(1))).isEqualTo(1);
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(4)
	void aDeletedDocumentBringsBackTheLocalDefaults(String version) throws Exception {
		NacosRun run = run(version);
		assertThat(ProviderMetrics.degraded(run.cluster().provider(0))).as("degraded before the delete").isEqualTo(1);

		run.prod.delete(RoutingPublisher.KEY);

		awaitBothProviders(run, 0);
		awaitLog(run.cluster().provider(0), "Routing changed (document removed, local defaults)", APPLIED);
		awaitLog(run.cluster().provider(1), "Routing changed (document removed, local defaults)", APPLIED);
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(5)
	void aProviderFrozenFor40SecondsCostsNoMessage(String version) throws Exception {
		NacosRun run = run(version);
		NodeProcess frozen = run.cluster().provider(1);
		int port = run.cluster().providerDubboPort(1);
		CompletableFuture<Long> listed = new CompletableFuture<>();
		DrillLoad load = run.system.load("nacos-" + version + "-frozen-provider");

		load.run(6, Duration.ofSeconds(50), 1, Map.of(Duration.ofSeconds(5), () -> {
			DrillSystem.signal("STOP", frozen);
			watchListing(run, port, Duration.ofSeconds(39), listed);
		}, Duration.ofSeconds(45), () -> DrillSystem.signal("CONT", frozen)));

		DrillLoad.Result result = load.await(Duration.ofSeconds(150));
		log.log(System.Logger.Level.INFO, "NACOS {0}: a frozen provider stayed listed as healthy for {1} ms", version,
				listed.get(60, TimeUnit.SECONDS));
		DrillSystem.assertExactlyOnce(result);
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(6)
	void nacosStoppedFor30SecondsUnderLoadCostsNoMessage(String version) throws Exception {
		NacosRun run = run(version);
		DrillLoad load = run.system.load("nacos-" + version + "-registry-down");

		load.run(6, Duration.ofSeconds(55), 1,
				Map.of(Duration.ofSeconds(5), run.server::stop, Duration.ofSeconds(35), run.server::restart));

		DrillSystem.assertExactlyOnce(load.await(Duration.ofSeconds(120)));
		long started = System.nanoTime();
		awaitListed(run, "prod", Set.of(run.cluster().providerDubboPort(0), run.cluster().providerDubboPort(1)),
				Duration.ofSeconds(60));
		log.log(System.Logger.Level.INFO, "NACOS {0}: both providers listed again {1} ms after the drill", version,
				(System.nanoTime() - started) / 1_000_000);
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(7)
	void aProviderKilledUnderLoadLosesNothing(String version) throws Exception {
		NacosRun run = run(version);
		int port = run.cluster().providerDubboPort(0);
		CompletableFuture<Long> listed = new CompletableFuture<>();
		DrillLoad load = run.system.load("nacos-" + version + "-kill-provider");

		load.run(6, Duration.ofSeconds(20), 1, Map.of(Duration.ofSeconds(6), () -> {
			run.cluster().provider(0).kill();
			watchListing(run, port, Duration.ofSeconds(14), listed);
		}));

		DrillLoad.Result result = load.await(Duration.ofSeconds(90));
		log.log(System.Logger.Level.INFO, "NACOS {0}: a killed provider stayed listed for {1} ms", version,
				listed.get(60, TimeUnit.SECONDS));
		DrillSystem.assertExactlyOnce(result);
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(8)
	void theStagingProviderNeverReceivedAProductionCall(String version) {
		NacosRun run = run(version);

		assertThat(run.system.openAi.getAllServeEvents()).as("production calls answered").isNotEmpty();
		assertThat(run.stagingOpenAi.getAllServeEvents()).as("calls that reached the staging provider").isEmpty();
	}

	@ParameterizedTest(name = "Nacos {0}")
	@MethodSource("versions")
	@Order(9)
	void noNodeLogCarriesTheNacosPassword(String version) throws IOException {
		NacosRun run = run(version);
		List<Path> logs;
		try (Stream<Path> files = Files.list(run.cluster().home().resolve("logs"))) {
			logs = files.filter((file) -> file.toString().endsWith(".log")).toList();
		}

		assertThat(logs).hasSizeGreaterThanOrEqualTo(5);
		for (Path file : logs) {
			assertThat(Files.readString(file, StandardCharsets.UTF_8)).as(file.getFileName().toString())
				.doesNotContain(run.server.password());
		}
	}

	private static NacosRun run(String version) {
		synchronized (RUNS) {
			return RUNS.computeIfAbsent(version, NacosRun::start);
		}
	}

	private static Set<Integer> listedPorts(NacosRun run, String namespace) throws IOException {
		return run.server.openApi()
			.instances(namespace, SERVICE)
			.stream()
			.filter(NacosOpenApi.Instance::healthy)
			.map(NacosOpenApi.Instance::port)
			.collect(Collectors.toSet());
	}

	private static void awaitListed(NacosRun run, String namespace, Set<Integer> ports, Duration timeout)
			throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!listedPorts(run, namespace).containsAll(ports)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Nacos did not list " + ports + " in " + namespace + " within " + timeout);
			}
			Thread.sleep(250);
		}
	}

	/**
	 * Complete {@code listed} with how long a provider stays listed as healthy, polled
	 * every 250 ms up to a cap, or with the failure to read the list.
	 */
	private static void watchListing(NacosRun run, int port, Duration cap, CompletableFuture<Long> listed) {
		Thread watch = new Thread(() -> {
			long started = System.nanoTime();
			long deadline = started + cap.toNanos();
			try {
				while (System.nanoTime() < deadline && listedPorts(run, "prod").contains(port)) {
					Thread.sleep(250);
				}
				listed.complete((System.nanoTime() - started) / 1_000_000);
			}
			catch (IOException | RuntimeException ex) {
				listed.completeExceptionally(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				listed.completeExceptionally(ex);
			}
		}, "listing-watch");
		watch.setDaemon(true);
		watch.start();
	}

	private static void awaitBothProviders(NacosRun run, int degraded) throws Exception {
		ProviderMetrics.awaitDegraded(run.cluster().provider(0), degraded, APPLIED);
		ProviderMetrics.awaitDegraded(run.cluster().provider(1), degraded, APPLIED);
	}

	private static void awaitLog(NodeProcess node, String text, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!Files.readString(node.logFile(), StandardCharsets.UTF_8).contains(text)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(node.name() + " did not log '" + text + "' within " + timeout);
			}
			Thread.sleep(100);
		}
	}

	/**
	 * One version's Nacos and the system on it.
	 *
	 * @param server the Nacos server
	 * @param prod the production namespace
	 * @param system two providers and two clients in {@code prod}
	 * @param stagingOpenAi the OpenAI stand-in of the staging provider
	 */
	private record NacosRun(NacosServer server, Registry.NacosRegistry prod, DrillSystem system,
			WireMockServer stagingOpenAi) implements AutoCloseable {

		static NacosRun start(String version) {
			NacosServer server = null;
			try {
				server = NacosServer.start(version, SystemCluster.home("nacos-server-" + version));
				server.openApi().createNamespace("prod", "production");
				server.openApi().createNamespace("staging", "staging");
				Registry.NacosRegistry prod = new Registry.NacosRegistry(server, "prod");
				DrillSystem system = DrillSystem.start("nacos-" + version, prod);
				WireMockServer stagingOpenAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
				stagingOpenAi.start();
				OpenAiStubs.install(stagingOpenAi, "from staging");
				system.cluster.startProvider(stagingOpenAi.baseUrl() + "/v1",
						Map.of("dubbo.registry.address", new Registry.NacosRegistry(server, "staging").address()));
				return new NacosRun(server, prod, system, stagingOpenAi);
			}
			catch (Exception ex) {
				if (server != null) {
					server.close();
				}
				throw new IllegalStateException("Could not start ChatRelay on Nacos " + version, ex);
			}
		}

		SystemCluster cluster() {
			return this.system.cluster;
		}

		@Override
		public void close() {
			this.system.close();
			this.stagingOpenAi.stop();
			this.server.close();
		}

	}

}
