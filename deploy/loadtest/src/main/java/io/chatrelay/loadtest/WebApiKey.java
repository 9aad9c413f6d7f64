package io.chatrelay.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.loadtest.traffic.MessageIds;

/**
 * The tenant API key the web chats of {@link Security#ON} carry in {@code X-API-Key}: one
 * ordinary {@code user} key for all of them, created through the admin API with the
 * node's bootstrap admin key, with its own limits (never reached) so that the key's
 * counters are checked too. The key names the user ({@code key:<id>}); the body's
 * conversation id still spreads the chats over many conversations. Never logged: only its
 * id is shown.
 */
final class WebApiKey {

	/**
	 * The client property of the bootstrap admin key (a secret: NodeCommand passes it in
	 * the environment).
	 */
	static final String BOOTSTRAP_ADMIN_KEY_PROPERTY = "chat.client.security.api-keys.bootstrap-admin-key";

	/** The header the key goes in. */
	static final String HEADER = "X-API-Key";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final String id;

	private final String text;

	private WebApiKey(String id, String text) {
		this.id = id;
		this.text = text;
	}

	/**
	 * A fresh bootstrap admin key for one run's client.
	 * @return 32 random bytes, URL-safe Base64
	 */
	static String newBootstrapAdminKey() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return "loadtest-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Create the key, then check that the web API refuses a chat without one.
	 * @param clientUrl the client's base URL
	 * @param adminKey the client's bootstrap admin key
	 * @return the key
	 * @throws IOException if the client cannot be reached
	 * @throws IllegalStateException if the key is not created, or a chat without a key is
	 * not refused with 401
	 * @throws InterruptedException if interrupted
	 */
	static WebApiKey create(String clientUrl, String adminKey) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
		String body = "{\"name\":\"load tool web chats\",\"requestsPerMinute\":" + SecurityDocuments.REQUESTS_PER_MINUTE
				+ ",\"tokensPerDay\":" + SecurityDocuments.TOKENS + "}";
		HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/api/v1/admin/keys"))
			.header("Content-Type", "application/json")
			.header(HEADER, adminKey)
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (created.statusCode() != 201) {
			throw new IllegalStateException("The client did not create the web chats' API key: HTTP "
					+ created.statusCode() + " " + created.body());
		}
		JsonNode issued = JSON.readTree(created.body());
		WebApiKey key = new WebApiKey(issued.path("key").path("id").asText(), issued.path("apiKey").asText());
		if (key.text.isBlank()) {
			throw new IllegalStateException("The client's answer named no API key");
		}
		int anonymous = http
			.send(HttpRequest.newBuilder(URI.create(clientUrl + "/api/v1/chat"))
				.header("Content-Type", "application/json")
				.timeout(TIMEOUT)
				.POST(HttpRequest.BodyPublishers.ofString("{\"conversationId\":\"no-key\",\"userId\":\"load\","
						+ "\"message\":\"question " + MessageIds.marker("nokey") + "\"}"))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
		if (anonymous != 401) {
			throw new IllegalStateException(
					"--security=on, yet a web chat without a key got HTTP " + anonymous + " instead of 401");
		}
		return key;
	}

	/**
	 * Put the key on a request.
	 * @param request the request being built
	 * @return the same builder
	 */
	HttpRequest.Builder authorize(HttpRequest.Builder request) {
		return request.header(HEADER, this.text);
	}

	/**
	 * The key's id, safe to show.
	 * @return e.g. {@code 3f9a...}
	 */
	String id() {
		return this.id;
	}

	@Override
	public String toString() {
		return "WebApiKey[" + this.id + "]";
	}

}
