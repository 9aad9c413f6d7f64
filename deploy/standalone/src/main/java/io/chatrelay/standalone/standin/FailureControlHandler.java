package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in's control surface, for people and tests:
 * <ul>
 * <li>{@code GET /_standin/failures}: each vendor's mode (and {@code delayMs} when slow)
 * and request count;</li>
 * <li>{@code POST /_standin/failures/{vendor}} with {@code mode=} (and for {@code slow}
 * an optional {@code delayMs=}) in the query, a form body or a JSON body; {@code vendor}
 * is the name of a {@link StandInVendor} or {@code all};</li>
 * <li>{@code POST /_standin/failures/qianfan?mode=expire-tokens}: expire every Qianfan v1
 * access token issued so far (the mode stays as it is).</li>
 * </ul>
 * Requests here are not counted.
 */
final class FailureControlHandler implements HttpHandler {

	static final String PATH = "/_standin/";

	static final String FAILURES = PATH + "failures";

	static final String EXPIRE_TOKENS = "expire-tokens";

	private static final String ALL = "all";

	private static final Logger log = LoggerFactory.getLogger(FailureControlHandler.class);

	private final VendorSwitchboard switchboard;

	private final QianfanTokens tokens;

	private final ObjectMapper json;

	FailureControlHandler(VendorSwitchboard switchboard, QianfanTokens tokens, ObjectMapper json) {
		this.switchboard = switchboard;
		this.tokens = tokens;
		this.json = json;
	}

	@Override
	public void handle(HttpExchange exchange) {
		try (exchange) {
			serve(exchange);
		}
		catch (IOException ex) {
			log.debug("Control request: the caller went away ({})", ex.toString());
		}
	}

	private void serve(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		String method = exchange.getRequestMethod();
		if (FAILURES.equals(path) || (FAILURES + "/").equals(path)) {
			if (!"GET".equals(method)) {
				send(exchange, 405, message("Use GET " + FAILURES + " or POST " + FAILURES + "/{vendor}?mode=…"));
				return;
			}
			send(exchange, 200, listing());
			return;
		}
		if (!path.startsWith(FAILURES + "/")) {
			send(exchange, 404, message("No stand-in control at " + path + "; try GET " + FAILURES));
			return;
		}
		if (!"POST".equals(method)) {
			send(exchange, 405, message("Use POST " + path + "?mode=<" + FailureMode.wireNames() + ">"));
			return;
		}
		try {
			send(exchange, 200, change(path.substring(FAILURES.length() + 1), parameters(exchange)));
		}
		catch (IllegalArgumentException ex) {
			send(exchange, ex instanceof UnknownVendorException ? 404 : 400, message(ex.getMessage()));
		}
	}

	private ObjectNode change(String vendor, Map<String, String> parameters) {
		List<String> vendors = ALL.equals(vendor) ? this.switchboard.vendors() : List.of(requireVendor(vendor));
		String mode = parameters.get("mode");
		if (mode == null || mode.isBlank()) {
			throw new IllegalArgumentException("Give mode=<" + FailureMode.wireNames() + "> in the query or body");
		}
		if (EXPIRE_TOKENS.equalsIgnoreCase(mode.trim())) {
			if (!vendors.equals(List.of(VendorStandIn.QIANFAN))) {
				throw new IllegalArgumentException(EXPIRE_TOKENS + " applies to " + VendorStandIn.QIANFAN + " only");
			}
			int expired = this.tokens.expireAll();
			log.info("Stand-in: expired {} Qianfan access tokens", expired);
			ObjectNode answer = listing();
			answer.put("expiredTokens", expired);
			return answer;
		}
		InjectedFailure failure = failure(FailureMode.parse(mode), parameters.get("delayMs"));
		for (String each : vendors) {
			this.switchboard.set(each, failure);
			log.info("Stand-in: {} now answers with failure mode {}{}", each, failure.mode().wireName(),
					(failure.mode() == FailureMode.SLOW) ? " (" + failure.delay().toMillis() + " ms)" : "");
		}
		return listing();
	}

	private InjectedFailure failure(FailureMode mode, String delayMs) {
		if (mode != FailureMode.SLOW) {
			return InjectedFailure.of(mode);
		}
		if (delayMs == null || delayMs.isBlank()) {
			return InjectedFailure.slow(this.switchboard.defaultSlowDelay());
		}
		try {
			return InjectedFailure.slow(Duration.ofMillis(Long.parseLong(delayMs.trim())));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("delayMs must be a whole number of milliseconds, got '" + delayMs + "'");
		}
	}

	private String requireVendor(String vendor) {
		try {
			return this.switchboard.requireVendor(vendor);
		}
		catch (IllegalArgumentException ex) {
			throw new UnknownVendorException(ex.getMessage() + " or all");
		}
	}

	/**
	 * Query parameters, then those of a form or JSON body that the query does not set.
	 */
	private Map<String, String> parameters(HttpExchange exchange) throws IOException {
		Map<String, String> parameters = FormData.parse(exchange.getRequestURI().getRawQuery());
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (body.startsWith("{")) {
			try {
				JsonNode node = this.json.readTree(body);
				node.fields()
					.forEachRemaining((field) -> parameters.putIfAbsent(field.getKey(), field.getValue().asText()));
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException("The body is not valid JSON");
			}
		}
		else if (body.contains("=")) {
			FormData.parse(body).forEach(parameters::putIfAbsent);
		}
		else if (!body.isEmpty()) {
			parameters.putIfAbsent("mode", body);
		}
		return parameters;
	}

	ObjectNode listing() {
		ObjectNode listing = this.json.createObjectNode();
		this.switchboard.failures().forEach((vendor, failure) -> {
			ObjectNode entry = listing.putObject(vendor);
			entry.put("mode", failure.mode().wireName());
			if (failure.mode() == FailureMode.SLOW) {
				entry.put("delayMs", failure.delay().toMillis());
			}
			entry.put("requests", this.switchboard.requests(vendor));
		});
		return listing;
	}

	private ObjectNode message(String text) {
		return this.json.createObjectNode().put("error", text);
	}

	private void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
		byte[] bytes = (this.json.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n")
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** A vendor name the stand-in does not serve: 404 rather than 400. */
	private static final class UnknownVendorException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		UnknownVendorException(String message) {
			super(message);
		}

	}

}
