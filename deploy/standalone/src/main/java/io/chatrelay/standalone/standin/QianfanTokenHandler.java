package io.chatrelay.standalone.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Baidu's OAuth token endpoint for Qianfan v1:
 * {@code POST /oauth/2.0/token?grant_type=client_credentials&client_id=<AK>&client_secret=<SK>}
 * (GET and a form body are accepted too). Answers the shape of
 * {@code vectors/llm-qianfan.json} {@code v1.token}: a new {@code access_token} valid for
 * 30 days, or HTTP 401 {@code {"error":"invalid_client",…}} for wrong credentials.
 * Counted as a {@code qianfan} request; never subject to failure injection.
 */
final class QianfanTokenHandler implements StandInEndpoint {

	static final String PATH = "/oauth/2.0/token";

	private static final Logger log = LoggerFactory.getLogger(QianfanTokenHandler.class);

	private final QianfanTokens tokens;

	private final VendorSwitchboard switchboard;

	private final ObjectMapper json;

	QianfanTokenHandler(HandlerContext context) {
		this.tokens = context.tokens();
		this.switchboard = context.switchboard();
		this.json = context.json();
	}

	@Override
	public String path() {
		return PATH;
	}

	@Override
	public void handle(HttpExchange exchange) {
		try (exchange) {
			this.switchboard.count(StandInVendor.QIANFAN.id());
			serve(exchange);
		}
		catch (IOException ex) {
			log.debug("Token request: the caller went away ({})", ex.toString());
		}
	}

	private void serve(HttpExchange exchange) throws IOException {
		Map<String, String> params = FormData.parse(exchange.getRequestURI().getRawQuery());
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		FormData.parse(body).forEach(params::putIfAbsent);
		ObjectNode answer = this.json.createObjectNode();
		if (!PATH.equals(exchange.getRequestURI().getPath())) {
			answer.put("error", "invalid_request").put("error_description", "unknown path");
			send(exchange, 404, answer);
		}
		else if (!"POST".equals(exchange.getRequestMethod()) && !"GET".equals(exchange.getRequestMethod())) {
			answer.put("error", "invalid_request").put("error_description", "unsupported method");
			send(exchange, 405, answer);
		}
		else if (!"client_credentials".equals(params.get("grant_type"))) {
			answer.put("error", "unsupported_grant_type")
				.put("error_description", "The authorization grant type is not supported");
			send(exchange, 400, answer);
		}
		else if (!this.tokens.accepts(params.get("client_id"), params.get("client_secret"))) {
			answer.put("error", "invalid_client").put("error_description", "Client authentication failed");
			send(exchange, 401, answer);
		}
		else {
			String accessToken = this.tokens.issue();
			answer.put("refresh_token", "25." + accessToken.substring(3));
			answer.put("expires_in", 2592000);
			answer.put("session_key", "9mzdStandInSessionKey==");
			answer.put("access_token", accessToken);
			answer.put("scope", "public ai_custom_yiyan_com ai_custom_yiyan_com_eb_instant wenxinworkshop_mgr");
			answer.put("session_secret", "standinsessionsecret");
			send(exchange, 200, answer);
		}
	}

	private void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
		byte[] bytes = this.json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
