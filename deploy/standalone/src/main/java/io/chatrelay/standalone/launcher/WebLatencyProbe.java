package io.chatrelay.standalone.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures the round trip of sequential web chats against a running system, one request
 * at a time on one kept-alive connection. Uses only the JDK, so it runs straight from its
 * source file:
 *
 * <pre>
 * java deploy/standalone/src/main/java/io/chatrelay/standalone/launcher/WebLatencyProbe.java [baseUrl] [requests] [warmup]
 * </pre>
 *
 * Each request is a new conversation, so the context size stays the same. Not a load
 * test: the load tool in {@code deploy/loadtest} measures throughput and overhead.
 */
public final class WebLatencyProbe {

	private static final System.Logger log = System.getLogger(WebLatencyProbe.class.getName());

	private WebLatencyProbe() {
	}

	public static void main(String[] args) throws Exception {
		String baseUrl = (args.length > 0) ? args[0] : "http://127.0.0.1:8080";
		int requests = (args.length > 1) ? Integer.parseInt(args[1]) : 1000;
		int warmup = (args.length > 2) ? Integer.parseInt(args[2]) : 200;
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		URI uri = URI.create(baseUrl + "/api/v1/chat");
		for (int i = 0; i < warmup; i++) {
			send(http, uri);
		}
		long[] nanos = new long[requests];
		int failures = 0;
		for (int i = 0; i < requests; i++) {
			long started = System.nanoTime();
			int status = send(http, uri);
			nanos[i] = System.nanoTime() - started;
			if (status != 200) {
				failures++;
			}
		}
		Arrays.sort(nanos);
		log.log(System.Logger.Level.INFO,
				String.format(Locale.ROOT,
						"%d sequential web chats (after %d warm-up): p50 %.2f ms, p90 %.2f ms, "
								+ "p99 %.2f ms, max %.2f ms, failures %d",
						requests, warmup, millis(nanos, 0.50), millis(nanos, 0.90), millis(nanos, 0.99),
						nanos[nanos.length - 1] / 1e6, failures));
		if (failures > 0) {
			System.exit(1);
		}
	}

	private static int send(HttpClient http, URI uri) throws Exception {
		String body = "{\"conversationId\":\"probe-" + UUID.randomUUID()
				+ "\",\"userId\":\"probe\",\"message\":\"hi\"}";
		return http
			.send(HttpRequest.newBuilder(uri)
				.header("content-type", "application/json")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static double millis(long[] sorted, double quantile) {
		int index = (int) Math.ceil(quantile * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

}
