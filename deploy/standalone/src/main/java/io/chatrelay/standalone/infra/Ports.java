package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Loopback port helpers: every server this module starts listens on 127.0.0.1 only.
 */
public final class Ports {

	/** The only address the standalone system listens on. */
	public static final String LOOPBACK = "127.0.0.1";

	private Ports() {
	}

	/**
	 * Find a port that is free on 127.0.0.1 right now. Another process may take it before
	 * the caller binds it; prefer binding port 0 where the server allows it.
	 * @return a free port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(loopback(), 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on " + LOOPBACK, ex);
		}
	}

	/**
	 * Whether nothing listens on {@code 127.0.0.1:port}.
	 * @param port the port to probe
	 * @return {@code true} if the port can be bound now
	 */
	public static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(loopback(), port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Fail fast, naming the setting to change, if a port is taken.
	 * @param port the port to probe
	 * @param what what would listen there, e.g. {@code "client HTTP"}
	 * @param setting the environment variable (or property) that moves it
	 * @throws PortInUseException if the port is taken
	 */
	public static void requireFree(int port, String what, String setting) {
		if (!isFree(port)) {
			throw new PortInUseException(port, what, setting);
		}
	}

	/**
	 * The loopback address to bind.
	 * @return 127.0.0.1
	 */
	public static InetAddress loopback() {
		try {
			return InetAddress.getByName(LOOPBACK);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A port the standalone system needs is already taken by another process.
	 */
	public static final class PortInUseException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		private final int port;

		PortInUseException(int port, String what, String setting) {
			super("Port " + port + " (" + what + ") is already in use on " + LOOPBACK + ": stop what uses it or set "
					+ setting + " to another port");
			this.port = port;
		}

		/**
		 * The busy port.
		 * @return the port number
		 */
		public int port() {
			return this.port;
		}

	}

}
