package io.chatrelay.loadtest.measure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Samples the resident set ({@code VmRSS} of {@code /proc/<pid>/status}) and the heap in
 * use (the actuator's {@code jvm.memory.used} with {@code area:heap}) of the client and
 * provider JVMs every half second, keeping the largest of each.
 */
public final class ResourceSampler implements AutoCloseable {

	private static final Duration EVERY = Duration.ofMillis(500);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final List<Node> nodes;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(1))
		.build();

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(Threads.daemon("resource-sampler"));

	/**
	 * Start sampling.
	 * @param nodes the JVMs to watch
	 */
	public ResourceSampler(List<Node> nodes) {
		this.nodes = List.copyOf(nodes);
		this.timer.scheduleWithFixedDelay(this::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void sample() {
		for (Node node : this.nodes) {
			if (node.pid() > 0) {
				long rss = rssBytes(node.pid());
				node.rssMax().accumulateAndGet(rss, Math::max);
			}
			if (node.actuatorUrl() != null) {
				HttpRequest.Builder request = HttpRequest
					.newBuilder(URI.create(node.actuatorUrl() + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
					.timeout(Duration.ofSeconds(2))
					.GET();
				if (node.authorization() != null) {
					request.header("Authorization", node.authorization());
				}
				this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenAccept((response) -> {
					if (response.statusCode() == 200) {
						node.heapMax().accumulateAndGet((long) metricValue(response.body()), Math::max);
					}
				});
			}
		}
	}

	/**
	 * The resident set of a process.
	 * @param pid the process
	 * @return bytes, 0 if unknown
	 */
	static long rssBytes(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					String[] parts = line.substring(6).trim().split("\\s+");
					return Long.parseLong(parts[0]) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
		return 0;
	}

	/**
	 * The {@code VALUE} of an actuator metric.
	 * @param metricJson the body of {@code /actuator/metrics/<name>}
	 * @return the value, {@code NaN} if it has none
	 */
	public static double metricValue(String metricJson) {
		try {
			JsonNode measurements = JSON.readTree(metricJson).path("measurements");
			for (JsonNode measurement : measurements) {
				if ("VALUE".equals(measurement.path("statistic").asText())) {
					return measurement.path("value").asDouble();
				}
			}
		}
		catch (IOException ex) {
			return Double.NaN;
		}
		return Double.NaN;
	}

	/**
	 * The largest values seen so far.
	 * @return the resources
	 */
	public Resources peak() {
		return new Resources(mib(this.nodes.get(0).rssMax().get()), mib(this.nodes.get(0).heapMax().get()),
				(this.nodes.size() > 1) ? mib(this.nodes.get(1).rssMax().get()) : 0,
				(this.nodes.size() > 1) ? mib(this.nodes.get(1).heapMax().get()) : 0);
	}

	private static double mib(long bytes) {
		return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	/**
	 * A JVM to watch.
	 *
	 * @param name its name
	 * @param pid its process id, 0 if unknown
	 * @param actuatorUrl {@code http://host:port} of its actuator, or {@code null}
	 * @param authorization the {@code Authorization} header its actuator needs, or
	 * {@code null}
	 * @param rssMax the largest resident set seen
	 * @param heapMax the largest heap in use seen
	 */
	public record Node(String name, long pid, String actuatorUrl, String authorization, AtomicLong rssMax,
			AtomicLong heapMax) {

		public Node(String name, long pid, String actuatorUrl, String authorization) {
			this(name, pid, actuatorUrl, authorization, new AtomicLong(), new AtomicLong());
		}

		public Node(String name, long pid, String actuatorUrl) {
			this(name, pid, actuatorUrl, null);
		}

		@Override
		public String toString() {
			return "Node[" + this.name + ", pid " + this.pid + "]";
		}

	}

	/**
	 * Peak memory of the client (first node) and the provider (second).
	 *
	 * @param clientRssMiB the client's largest resident set
	 * @param clientHeapMiB the client's largest heap in use
	 * @param providerRssMiB the provider's largest resident set
	 * @param providerHeapMiB the provider's largest heap in use
	 */
	public record Resources(double clientRssMiB, double clientHeapMiB, double providerRssMiB, double providerHeapMiB) {

		/** Nothing sampled. */
		public static final Resources NONE = new Resources(0, 0, 0, 0);

	}

}
