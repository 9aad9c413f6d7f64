package io.chatrelay.standalone.system;

import java.util.List;

import io.chatrelay.standalone.infra.Ports;
import redis.clients.jedis.Jedis;

/**
 * The access control of the test Redis sets: the nodes log in as {@value #USER}, who may
 * use only ChatRelay's keys and channels ({@code cr:*}); the default user (replication,
 * sentinels, the test's own checks) has a password too.
 */
final class RedisAcl {

	static final String USER = "chatrelay";

	static final String PASSWORD = "node-password-for-tests";

	static final String ADMIN_PASSWORD = "admin-password-for-tests";

	private RedisAcl() {
	}

	/**
	 * {@code redis.conf} lines for a data server.
	 * @return the ACL, the default user's password and the password replicas log in with
	 */
	static List<String> serverSettings() {
		return List.of("user " + USER + " on >" + PASSWORD + " ~cr:* resetchannels &cr:* +@all",
				"requirepass " + ADMIN_PASSWORD, "masterauth " + ADMIN_PASSWORD);
	}

	/**
	 * A connection as the default user.
	 * @param port the server
	 * @return the connection
	 */
	static Jedis admin(int port) {
		Jedis jedis = new Jedis(Ports.LOOPBACK, port, 2000);
		jedis.auth(ADMIN_PASSWORD);
		return jedis;
	}

	static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
