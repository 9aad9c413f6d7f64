package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.util.ServiceUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single ZooKeeper server inside this JVM: the Dubbo registry and config center of the
 * standalone system and of integration tests ({@code zookeeper://127.0.0.1:<port>}).
 *
 * <p>
 * It listens on 127.0.0.1 only (NIO connection factory, no admin server) and never calls
 * {@code System.exit} on a fatal error. {@link #stop()} and {@link #restart()} keep the
 * port and the data directory, so fault drills can take the registry away and bring it
 * back with its registrations and config documents. The session timeout is capped at
 * {@value #MAX_SESSION_TIMEOUT_MS} ms so that a killed node leaves the registry within
 * seconds rather than the usual 40 s.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

	/** ZooKeeper tick: sessions last between 2 and 20 ticks unless capped. */
	static final int TICK_TIME_MS = 2000;

	/** Upper bound for negotiated session timeouts (Dubbo asks for 60 s). */
	static final int MAX_SESSION_TIMEOUT_MS = 10_000;

	private static final int MAX_CLIENT_CONNECTIONS = 1000;

	private static final int LISTEN_BACKLOG = 128;

	private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

	private final Path dataDir;

	private int port;

	private ZooKeeperServer server;

	private ServerCnxnFactory connections;

	private EmbeddedZooKeeper(Path dataDir, int port) {
		this.dataDir = dataDir;
		this.port = port;
	}

	/**
	 * Start a server on {@code 127.0.0.1:port} with its snapshots and transaction log in
	 * {@code dataDir}; existing data there is loaded.
	 * @param port the client port, or 0 for any free port (kept across restarts)
	 * @param dataDir where the data lives (created if missing)
	 * @return the running server
	 * @throws IOException if the data cannot be loaded or the port cannot be bound
	 */
	public static EmbeddedZooKeeper start(int port, Path dataDir) throws IOException {
		EmbeddedZooKeeper zooKeeper = new EmbeddedZooKeeper(dataDir.toAbsolutePath(), port);
		zooKeeper.startServer();
		return zooKeeper;
	}

	/**
	 * The client port.
	 * @return the port the server listens on (also while stopped)
	 */
	public synchronized int port() {
		return this.port;
	}

	/**
	 * The address for {@code dubbo.registry.address}.
	 * @return {@code zookeeper://127.0.0.1:<port>}
	 */
	public String registryAddress() {
		return "zookeeper://" + Ports.LOOPBACK + ":" + port();
	}

	/**
	 * The address for a plain ZooKeeper or Curator client.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String connectString() {
		return Ports.LOOPBACK + ":" + port();
	}

	/**
	 * Whether the server is serving.
	 * @return {@code true} between a start and a stop
	 */
	public synchronized boolean isRunning() {
		return this.server != null && this.server.isRunning();
	}

	/**
	 * Stop serving: every client connection drops, the data stays on disk. Does nothing
	 * if already stopped.
	 */
	public synchronized void stop() {
		if (this.connections == null) {
			return;
		}
		this.connections.shutdown();
		this.server.shutdown(true);
		closeTxnLog(this.server);
		this.connections = null;
		this.server = null;
		log.info("ZooKeeper on port {} stopped", this.port);
	}

	/**
	 * Stop if running, then serve again on the same port with the same data.
	 * @throws UncheckedIOException if the server cannot start again
	 */
	public synchronized void restart() {
		stop();
		try {
			startServer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("ZooKeeper could not restart on port " + this.port, ex);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private synchronized void startServer() throws IOException {
		if (this.connections != null) {
			return;
		}
		if (System.getProperty("zookeeper.admin.enableServer") == null) {
			System.setProperty("zookeeper.admin.enableServer", "false");
		}
		ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
		Files.createDirectories(this.dataDir);
		ZooKeeperServer zooKeeperServer = new ZooKeeperServer(this.dataDir.toFile(), this.dataDir.toFile(),
				TICK_TIME_MS);
		zooKeeperServer.setMaxSessionTimeout(MAX_SESSION_TIMEOUT_MS);
		NIOServerCnxnFactory factory = new NIOServerCnxnFactory();
		try {
			factory.configure(new InetSocketAddress(Ports.loopback(), this.port), MAX_CLIENT_CONNECTIONS,
					LISTEN_BACKLOG, false);
			factory.startup(zooKeeperServer);
		}
		catch (BindException ex) {
			factory.shutdown();
			closeTxnLog(zooKeeperServer);
			BindException busy = new BindException(
					"ZooKeeper could not listen on " + Ports.LOOPBACK + ":" + this.port + ": " + ex.getMessage());
			busy.initCause(ex);
			throw busy;
		}
		catch (IOException | RuntimeException ex) {
			factory.shutdown();
			closeTxnLog(zooKeeperServer);
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			factory.shutdown();
			closeTxnLog(zooKeeperServer);
			throw new IOException("Interrupted while ZooKeeper was starting", ex);
		}
		this.port = factory.getLocalPort();
		this.server = zooKeeperServer;
		this.connections = factory;
		log.info("ZooKeeper listening on {}:{} (data in {})", Ports.LOOPBACK, this.port, this.dataDir);
	}

	private static void closeTxnLog(ZooKeeperServer zooKeeperServer) {
		try {
			if (zooKeeperServer.getTxnLogFactory() != null) {
				zooKeeperServer.getTxnLogFactory().close();
			}
		}
		catch (IOException ex) {
			log.warn("Could not close the ZooKeeper transaction log: {}", ex.toString());
		}
	}

}
