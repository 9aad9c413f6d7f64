package io.chatrelay.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.chatrelay.loadtest.measure.LatencySummary;
import io.chatrelay.loadtest.measure.ResourceSampler;
import io.chatrelay.standalone.infra.RoutingPublisher;
import org.HdrHistogram.Histogram;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario S4's hook: flips the operators' degrade switch (the routing document in the
 * config center, the way {@link RoutingPublisher} writes it) on and off at a fixed
 * interval during the run, and measures each flip's propagation: from the write to
 * ZooKeeper to the provider's {@code chat.provider.routing.degraded} gauge showing the
 * new state (polled every few milliseconds on the provider's actuator).
 */
final class DegradeFlips implements RunHook {

	private static final Logger log = LoggerFactory.getLogger(DegradeFlips.class);

	private static final Duration POLL = Duration.ofMillis(2);

	private static final Duration GIVE_UP = Duration.ofSeconds(5);

	private static final String DOCUMENT = "primary: chatgpt\nfallback: [chatglm, ernie]\ndegrade:\n  enabled: %s\n"
			+ "  target: chatglm\n";

	private final Environment environment;

	private final Duration first;

	private final Duration every;

	private final Duration until;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<Long> propagationNanos = new ArrayList<>();

	private final List<String> failures = new ArrayList<>();

	private volatile boolean stopped;

	private Thread thread;

	/**
	 * Flip at {@code first}, then every {@code every}, until {@code until} after the
	 * start; the switch ends off.
	 * @param environment the system
	 * @param first the first flip's offset
	 * @param every the interval
	 * @param until no flip after this offset
	 */
	DegradeFlips(Environment environment, Duration first, Duration every, Duration until) {
		this.environment = environment;
		this.first = first;
		this.every = every;
		this.until = until;
	}

	@Override
	public void started(long startNanos) {
		this.thread = new Thread(() -> flip(startNanos), "degrade-flips");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void flip(long startNanos) {
		try (ZooKeeper zooKeeper = connect(this.environment.zooKeeper())) {
			RoutingPublisher.publish(this.environment.zooKeeper(), DOCUMENT.formatted(false));
			boolean degraded = false;
			for (Duration at = this.first; at.compareTo(this.until) <= 0 && !this.stopped; at = at.plus(this.every)) {
				long due = startNanos + at.toNanos();
				while (System.nanoTime() < due && !this.stopped) {
					Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
				}
				degraded = !degraded;
				long written = System.nanoTime();
				zooKeeper.setData(RoutingPublisher.ZNODE, DOCUMENT.formatted(degraded).getBytes(StandardCharsets.UTF_8),
						-1);
				long seen = awaitGauge(degraded ? 1 : 0, written);
				if (seen < 0) {
					this.failures
						.add("flip to " + degraded + " at " + at.toSeconds() + " s not seen within " + GIVE_UP);
				}
				else {
					this.propagationNanos.add(seen - written);
				}
			}
			if (degraded) {
				zooKeeper.setData(RoutingPublisher.ZNODE, DOCUMENT.formatted(false).getBytes(StandardCharsets.UTF_8),
						-1);
			}
		}
		catch (IOException | KeeperException ex) {
			log.warn("Degrade flips failed: {}", ex.toString());
			this.failures.add(ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private long awaitGauge(int expected, long written) throws InterruptedException {
		HttpRequest.Builder builder = HttpRequest
			.newBuilder(URI
				.create(this.environment.providerActuatorUrl() + "/actuator/metrics/chat.provider.routing.degraded"))
			.timeout(Duration.ofSeconds(1))
			.GET();
		if (this.environment.providerAuthorization() != null) {
			builder.header("Authorization", this.environment.providerAuthorization());
		}
		HttpRequest request = builder.build();
		while (System.nanoTime() - written < GIVE_UP.toNanos()) {
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				long now = System.nanoTime();
				if (response.statusCode() == 200 && ResourceSampler.metricValue(response.body()) == expected) {
					return now;
				}
			}
			catch (IOException ex) {
				// The provider is busy: poll again.
			}
			Thread.sleep(POLL.toMillis());
		}
		return -1;
	}

	private static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
		CountDownLatch connected = new CountDownLatch(1);
		ZooKeeper zooKeeper = new ZooKeeper(connectString, 10_000, (event) -> {
			if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
				connected.countDown();
			}
		});
		if (!connected.await(10, TimeUnit.SECONDS)) {
			zooKeeper.close();
			throw new IOException("ZooKeeper at " + connectString + " did not answer");
		}
		return zooKeeper;
	}

	@Override
	public Map<String, Object> finish() {
		this.stopped = true;
		if (this.thread != null) {
			try {
				this.thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Histogram histogram = LatencySummary.histogram();
		this.propagationNanos.forEach((nanos) -> LatencySummary.record(histogram, nanos));
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("degradeFlips", this.propagationNanos.size() + this.failures.size());
		results.put("degradePropagation", LatencySummary.of(histogram));
		results.put("degradeFlipFailures", List.copyOf(this.failures));
		results.put("llmCallsChatgpt", this.environment.llm().calls("chatgpt"));
		results.put("llmCallsChatglm", this.environment.llm().calls("chatglm"));
		return results;
	}

}
