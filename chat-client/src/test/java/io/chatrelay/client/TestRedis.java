package io.chatrelay.client;

import java.io.IOException;
import java.net.ServerSocket;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.embedded.RedisServer;

/**
 * A real redis-server on a free port of 127.0.0.1, without snapshots, for integration
 * tests.
 */
public final class TestRedis implements AutoCloseable {

	private final RedisServer server;

	private final int port;

	private TestRedis(RedisServer server, int port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * Start a server.
	 * @return the running server
	 * @throws IOException if it cannot start
	 */
	public static TestRedis start() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
		server.start();
		return new TestRedis(server, port);
	}

	/**
	 * Start a replica of a running server.
	 * @param primary the server it copies
	 * @return the running replica
	 * @throws IOException if it cannot start
	 */
	public static TestRedis replicaOf(TestRedis primary) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("replicaof 127.0.0.1 " + primary.port())
			.build();
		server.start();
		return new TestRedis(server, port);
	}

	/**
	 * The server's port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * A client with a pool large enough for a worker's threads.
	 * @return a new client; the caller closes it
	 */
	public JedisPooled client() {
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setMaxTotal(64);
		return new JedisPooled(pool, "127.0.0.1", this.port);
	}

	@Override
	public void close() throws IOException {
		this.server.stop();
	}

}
