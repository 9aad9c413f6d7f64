package io.chatrelay.standalone.standin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP, SSE and vector helpers for the stand-in tests (and the launcher's, which talk to
 * a stand-in it configured).
 */
public final class StandInHttp {

	static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private StandInHttp() {
	}

	/**
	 * POST a JSON body.
	 * @param url where
	 * @param body the JSON text
	 * @param headers name, value, name, value ...
	 * @return the response
	 */
	public static HttpResponse<String> post(String url, String body, String... headers) {
		try {
			return HTTP.send(request(url, body, headers), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static CompletableFuture<HttpResponse<String>> postAsync(String url, String body, String... headers) {
		return HTTP.sendAsync(request(url, body, headers), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> get(String url) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	static HttpRequest request(String url, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return request.build();
	}

	/**
	 * Read a stream event by event until it ends or breaks.
	 * @return the events read and the error that ended the read, if any
	 */
	static StreamRead readStream(String url, String body, String... headers) throws Exception {
		HttpResponse<InputStream> response = HTTP.send(request(url, body, headers),
				HttpResponse.BodyHandlers.ofInputStream());
		List<String> events = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("data: ")) {
					events.add(line.substring("data: ".length()));
				}
			}
			return new StreamRead(response.statusCode(), events, null);
		}
		catch (IOException ex) {
			return new StreamRead(response.statusCode(), events, ex);
		}
	}

	/** The payloads of a data-only SSE body, checking the framing on the way. */
	static List<String> events(String sse) {
		List<String> events = new ArrayList<>();
		for (String event : sse.split("\n\n")) {
			assertThat(event).startsWith("data: ").doesNotContain("\n");
			events.add(event.substring("data: ".length()));
		}
		return events;
	}

	static JsonNode json(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A vector file copied from {@code shared/protocols/vectors}. */
	static JsonNode vector(String file) {
		try (InputStream in = StandInHttp.class.getResourceAsStream("/vectors/" + file)) {
			assertThat(in).as("vector %s", file).isNotNull();
			return JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The data payload of one vector SSE line ({@code data: {...}}). */
	static JsonNode vectorEvent(String sseLine) {
		assertThat(sseLine).startsWith("data: ");
		return json(sseLine.substring("data: ".length()));
	}

	static Set<String> fields(JsonNode node) {
		Set<String> names = new TreeSet<>();
		Iterator<String> iterator = node.fieldNames();
		iterator.forEachRemaining(names::add);
		return names;
	}

	/**
	 * What a stream read produced.
	 *
	 * @param status the HTTP status
	 * @param events the data payloads received
	 * @param failure the I/O error that ended the body, or {@code null} if it ended
	 * cleanly
	 */
	record StreamRead(int status, List<String> events, IOException failure) {
	}

}
