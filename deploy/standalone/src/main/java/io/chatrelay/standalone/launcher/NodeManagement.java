package io.chatrelay.standalone.launcher;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import io.chatrelay.standalone.infra.Ports;

/**
 * Where and how to reach a client node's management endpoints (metrics, prometheus, dead
 * letters): their own port, behind HTTP Basic credentials made up for this run.
 *
 * @param port {@code management.server.port}
 * @param username the Basic user
 * @param password the Basic password (passed to the node in its environment)
 */
public record NodeManagement(int port, String username, String password) {

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * Credentials made up for one node.
	 * @param port the management port
	 * @return the management settings
	 */
	public static NodeManagement generate(int port) {
		byte[] secret = new byte[18];
		RANDOM.nextBytes(secret);
		return new NodeManagement(port, "prometheus", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
	}

	/**
	 * The base URL of the management endpoints.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://" + Ports.LOOPBACK + ":" + this.port;
	}

	/**
	 * The {@code Authorization} header value for these credentials.
	 * @return {@code Basic ...}
	 */
	public String authorization() {
		return "Basic " + Base64.getEncoder()
			.encodeToString((this.username + ":" + this.password).getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public String toString() {
		return "NodeManagement[port=" + this.port + ", username=" + this.username + "]";
	}

}
