package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an operator does to a Nacos server through its Open API, the way the console does
 * it: log in, publish and delete a configuration, create a namespace, list the instances
 * of a service. Used by the launcher's {@code publish-routing} against an external Nacos
 * and by the Nacos system tests.
 *
 * <p>
 * Version-agnostic: the configuration, naming and login calls are Nacos's v1 Open API,
 * which 2.x and 3.x both serve to clients; the console calls that 3.x answers with 410
 * (namespaces, server state) fall back to its v3 admin API. The password only ever
 * travels in a request body; the access token travels as the {@code accessToken}
 * parameter Nacos expects, and neither appears in an exception message.
 */
public final class NacosOpenApi {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private final String base;

	private final String username;

	private final String password;

	private volatile String accessToken;

	private volatile long tokenExpiresAtNanos;

	/**
	 * An Open API client.
	 * @param address {@code host:port}, {@code http://host:port} or a Dubbo registry
	 * address {@code nacos://host:port?…}
	 * @param username a Nacos user, or {@code null} when authentication is off
	 * @param password the user's password
	 */
	public NacosOpenApi(String address, String username, String password) {
		this.base = "http://" + hostPort(address) + "/nacos";
		this.username = (username == null || username.isBlank()) ? null : username;
		this.password = password;
	}

	/**
	 * {@code host:port} of a Nacos address, without scheme, path or parameters.
	 * @param address {@code host:port}, {@code http://host:port/…} or
	 * {@code nacos://host:port?…}
	 * @return {@code host:port}
	 */
	public static String hostPort(String address) {
		String hostPort = address.trim();
		int scheme = hostPort.indexOf("://");
		if (scheme >= 0) {
			hostPort = hostPort.substring(scheme + 3);
		}
		int end = hostPort.length();
		for (char stop : new char[] { '/', '?' }) {
			int at = hostPort.indexOf(stop);
			if (at >= 0) {
				end = Math.min(end, at);
			}
		}
		return hostPort.substring(0, end);
	}

	/**
	 * The namespace a Dubbo registry address names.
	 * @param address e.g. {@code nacos://host:port?namespace=prod}
	 * @return the namespace id, or {@code ""} for {@code public}
	 */
	public static String namespace(String address) {
		int query = address.indexOf('?');
		if (query < 0) {
			return "";
		}
		for (String parameter : address.substring(query + 1).split("&")) {
			if (parameter.startsWith("namespace=")) {
				return java.net.URLDecoder.decode(parameter.substring("namespace=".length()), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	/**
	 * Log in (when a user is set) and read the server's version: what a node will need,
	 * checked before any node starts.
	 * @return the server's version
	 * @throws IOException naming what failed: the address, or the user's login
	 */
	public String checkAccess() throws IOException {
		token(false);
		return version();
	}

	/**
	 * Publish (create or replace) a YAML configuration.
	 * @param namespace the namespace id ({@code ""} or {@code null} for {@code public})
	 * @param group the group
	 * @param dataId the data id
	 * @param yaml the content
	 * @throws IOException if Nacos is unreachable or does not answer {@code true}
	 */
	public void publish(String namespace, String group, String dataId, String yaml) throws IOException {
		if (yaml == null || yaml.isBlank()) {
			throw new IllegalArgumentException("The document " + dataId + " is empty");
		}
		Map<String, String> form = config(namespace, group, dataId);
		form.put("type", "yaml");
		form.put("content", yaml);
		expectTrue("publish " + dataId, send("POST", "/v1/cs/configs", Map.of(), form));
	}

	/**
	 * Delete a configuration; deleting one that does not exist succeeds.
	 * @param namespace the namespace id
	 * @param group the group
	 * @param dataId the data id
	 * @throws IOException if Nacos is unreachable or refuses
	 */
	public void delete(String namespace, String group, String dataId) throws IOException {
		expectTrue("delete " + dataId, send("DELETE", "/v1/cs/configs", config(namespace, group, dataId), Map.of()));
	}

	/**
	 * Read a configuration.
	 * @param namespace the namespace id
	 * @param group the group
	 * @param dataId the data id
	 * @return the content, or empty when there is none
	 * @throws IOException if Nacos is unreachable or refuses
	 */
	public Optional<String> read(String namespace, String group, String dataId) throws IOException {
		HttpResponse<String> response = send("GET", "/v1/cs/configs", config(namespace, group, dataId), Map.of());
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		check("read " + dataId, response);
		return Optional.of(response.body());
	}

	/**
	 * Create a namespace with a chosen id (what an operator does once per environment).
	 * An existing namespace is left as it is.
	 * @param id the namespace id, e.g. {@code prod}
	 * @param name its display name
	 * @throws IOException if Nacos is unreachable or refuses
	 */
	public void createNamespace(String id, String name) throws IOException {
		Map<String, String> v1 = Map.of("customNamespaceId", id, "namespaceName", name, "namespaceDesc", name);
		HttpResponse<String> response = send("POST", "/v1/console/namespaces", Map.of(), v1);
		if (response.statusCode() == 404 || response.statusCode() == 410) {
			response = send("POST", "/v3/admin/core/namespace", Map.of(),
					Map.of("namespaceId", id, "namespaceName", name, "namespaceDesc", name));
		}
		if (response.statusCode() == 200 || response.body().contains("already exist")) {
			return;
		}
		check("create namespace " + id, response);
	}

	/**
	 * The instances registered for a service.
	 * @param namespace the namespace id
	 * @param serviceName e.g. {@code providers:io.chatrelay.api.ChatService::}
	 * @return the instances, healthy or not
	 * @throws IOException if Nacos is unreachable or refuses
	 */
	public List<Instance> instances(String namespace, String serviceName) throws IOException {
		Map<String, String> query = new LinkedHashMap<>();
		query.put("serviceName", serviceName);
		query.put("namespaceId", namespaceId(namespace));
		HttpResponse<String> response = send("GET", "/v1/ns/instance/list", query, Map.of());
		check("list " + serviceName, response);
		List<Instance> instances = new ArrayList<>();
		for (JsonNode host : JSON.readTree(response.body()).path("hosts")) {
			instances.add(new Instance(host.path("ip").asText(), host.path("port").asInt(),
					host.path("healthy").asBoolean(), host.path("enabled").asBoolean(true)));
		}
		return instances;
	}

	/**
	 * The server's version, from its state endpoint.
	 * @return e.g. {@code 2.5.1}
	 * @throws IOException if Nacos is unreachable or does not say
	 */
	public String version() throws IOException {
		HttpResponse<String> response = send("GET", "/v1/console/server/state", Map.of(), Map.of());
		if (response.statusCode() == 404 || response.statusCode() == 410) {
			response = send("GET", "/v3/admin/core/state", Map.of(), Map.of());
		}
		check("read the server state", response);
		JsonNode state = JSON.readTree(response.body());
		JsonNode version = state.has("data") ? state.path("data").path("version") : state.path("version");
		if (version.isMissingNode() || version.asText().isBlank()) {
			throw new IOException("Nacos at " + this.base + " did not say its version");
		}
		return version.asText();
	}

	private static Map<String, String> config(String namespace, String group, String dataId) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("dataId", dataId);
		form.put("group", group);
		form.put("tenant", namespaceId(namespace));
		return form;
	}

	private static String namespaceId(String namespace) {
		return (namespace == null || "public".equals(namespace)) ? "" : namespace;
	}

	private HttpResponse<String> send(String method, String path, Map<String, String> query, Map<String, String> form)
			throws IOException {
		HttpResponse<String> response = sendOnce(method, path, query, form, token(false));
		if (response.statusCode() == 403 && this.username != null) {
			// The token may have expired early (server restarted with a new secret).
			response = sendOnce(method, path, query, form, token(true));
		}
		return response;
	}

	private HttpResponse<String> sendOnce(String method, String path, Map<String, String> query,
			Map<String, String> form, String token) throws IOException {
		Map<String, String> parameters = new LinkedHashMap<>(query);
		if (token != null) {
			parameters.put("accessToken", token);
		}
		String uri = this.base + path + (parameters.isEmpty() ? "" : "?" + encode(parameters));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT);
		if (form.isEmpty()) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/x-www-form-urlencoded")
				.method(method, HttpRequest.BodyPublishers.ofString(encode(form)));
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted calling Nacos at " + this.base + path);
		}
		catch (IOException ex) {
			throw new IOException("Nacos at " + this.base + " is unreachable (" + method + " " + path + "): " + ex, ex);
		}
	}

	private synchronized String token(boolean renew) throws IOException {
		if (this.username == null) {
			return null;
		}
		if (!renew && this.accessToken != null && System.nanoTime() < this.tokenExpiresAtNanos) {
			return this.accessToken;
		}
		Map<String, String> form = Map.of("username", this.username, "password",
				(this.password != null) ? this.password : "");
		HttpResponse<String> response = sendOnce("POST", "/v1/auth/login", Map.of(), form, null);
		if (response.statusCode() == 404 || response.statusCode() == 410) {
			response = sendOnce("POST", "/v3/auth/user/login", Map.of(), form, null);
		}
		if (response.statusCode() != 200) {
			throw new IOException("Nacos at " + this.base + " refused the login of user " + this.username + " (HTTP "
					+ response.statusCode() + ")");
		}
		JsonNode login = JSON.readTree(response.body());
		this.accessToken = login.path("accessToken").asText(null);
		if (this.accessToken == null) {
			throw new IOException("Nacos at " + this.base + " answered the login without a token");
		}
		long ttlSeconds = login.path("tokenTtl").asLong(300);
		this.tokenExpiresAtNanos = System.nanoTime() + Duration.ofSeconds(Math.max(1, ttlSeconds - 60)).toNanos();
		return this.accessToken;
	}

	private void expectTrue(String what, HttpResponse<String> response) throws IOException {
		check(what, response);
		String body = response.body().strip();
		if (!"true".equals(body) && !body.contains("\"data\":true")) {
			throw new IOException("Nacos did not " + what + ": " + abbreviate(body));
		}
	}

	private void check(String what, HttpResponse<String> response) throws IOException {
		if (response.statusCode() != 200) {
			throw new IOException("Nacos at " + this.base + " refused to " + what + " (HTTP " + response.statusCode()
					+ "): " + abbreviate(response.body()));
		}
	}

	private static String abbreviate(String body) {
		String oneLine = body.replaceAll("\\s+", " ").strip();
		return (oneLine.length() > 200) ? oneLine.substring(0, 200) + "…" : oneLine;
	}

	private static String encode(Map<String, String> parameters) {
		return parameters.entrySet()
			.stream()
			.map((entry) -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	/**
	 * One registered instance.
	 *
	 * @param ip its address
	 * @param port its port
	 * @param healthy whether Nacos counts it healthy
	 * @param enabled whether it takes traffic
	 */
	public record Instance(String ip, int port, boolean healthy, boolean enabled) {
	}

}
