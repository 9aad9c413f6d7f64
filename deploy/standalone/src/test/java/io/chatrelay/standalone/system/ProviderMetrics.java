package io.chatrelay.standalone.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.chatrelay.standalone.launcher.NodeProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider node's Prometheus page, read with its management credentials, and the
 * routing gauge the degrade tests watch.
 */
final class ProviderMetrics {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Pattern DEGRADED_GAUGE = Pattern
		.compile("^chat_provider_routing_degraded(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

	private ProviderMetrics() {
	}

	/**
	 * Poll {@code chat_provider_routing_degraded} every 5 ms until it has a value.
	 * @param provider the provider node
	 * @param expected 1 for degraded, 0 for not
	 * @param timeout how long to wait
	 * @throws Exception if it does not get there in time
	 */
	static void awaitDegraded(NodeProcess provider, int expected, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (degraded(provider) != expected) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(provider.name() + " did not apply the routing within " + timeout);
			}
			Thread.sleep(5);
		}
	}

	/**
	 * The provider's {@code chat_provider_routing_degraded}.
	 * @param provider the provider node
	 * @return 1 when degraded, 0 when not
	 * @throws IOException if the page cannot be read
	 * @throws InterruptedException if interrupted
	 */
	static int degraded(NodeProcess provider) throws IOException, InterruptedException {
		Matcher matcher = DEGRADED_GAUGE.matcher(prometheus(provider));
		assertThat(matcher.find()).as("chat_provider_routing_degraded on " + provider.name()).isTrue();
		return (int) Double.parseDouble(matcher.group(2));
	}

	/**
	 * The provider's {@code /actuator/prometheus}.
	 * @param provider the provider node
	 * @return the page
	 * @throws IOException if it cannot be read
	 * @throws InterruptedException if interrupted
	 */
	static String prometheus(NodeProcess provider) throws IOException, InterruptedException {
		return HTTP
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + provider.httpPort() + "/actuator/prometheus"))
				.header("Authorization", provider.management().authorization())
				.timeout(Duration.ofSeconds(5))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
