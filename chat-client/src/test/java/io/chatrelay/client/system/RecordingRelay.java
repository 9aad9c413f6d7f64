package io.chatrelay.client.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 between a consumer and a provider: it can cut one relayed
 * connection as a network failure would (both sockets reset), and it can record the bytes
 * each side sends (plaintext HTTP/2) for reading the frames offline.
 */
final class RecordingRelay implements AutoCloseable {

	private final ServerSocket server;

	private final int upstreamPort;

	private final boolean record;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	RecordingRelay(int upstreamPort, boolean record) throws IOException {
		this.upstreamPort = upstreamPort;
		this.record = record;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "relay-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	List<Connection> connections() {
		return this.connections;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket downstream = this.server.accept();
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.upstreamPort));
				downstream.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				Connection connection = new Connection(downstream, upstream);
				this.connections.add(connection);
				pump(downstream.getInputStream(), upstream.getOutputStream(),
						this.record ? connection.fromDownstream : null, connection);
				pump(upstream.getInputStream(), downstream.getOutputStream(),
						this.record ? connection.fromUpstream : null, connection);
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private static void pump(InputStream in, OutputStream out, ByteArrayOutputStream record, Connection connection) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[65536];
			try {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					if (record != null) {
						synchronized (record) {
							record.write(buffer, 0, n);
						}
					}
					out.write(buffer, 0, n);
				}
			}
			catch (IOException ex) {
				// closed
			}
			finally {
				connection.close();
			}
		}, "relay-pump");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.connections.forEach(Connection::close);
	}

	/** One relayed connection. */
	static final class Connection {

		private final Socket downstream;

		private final Socket upstream;

		final ByteArrayOutputStream fromUpstream = new ByteArrayOutputStream();

		final ByteArrayOutputStream fromDownstream = new ByteArrayOutputStream();

		Connection(Socket downstream, Socket upstream) {
			this.downstream = downstream;
			this.upstream = upstream;
		}

		/** The consumer's port of this connection. */
		int clientPort() {
			return this.downstream.getPort();
		}

		/** The port the provider sees this connection come from. */
		int upstreamLocalPort() {
			return this.upstream.getLocalPort();
		}

		/** Cut the connection as a network failure would: both sides get a reset. */
		void abort() {
			try {
				this.downstream.setSoLinger(true, 0);
				this.upstream.setSoLinger(true, 0);
			}
			catch (IOException ex) {
				// already closed
			}
			close();
		}

		void close() {
			try {
				this.downstream.close();
			}
			catch (IOException ex) {
				// closed
			}
			try {
				this.upstream.close();
			}
			catch (IOException ex) {
				// closed
			}
		}

		/** What the provider sent. */
		byte[] received() {
			synchronized (this.fromUpstream) {
				return this.fromUpstream.toByteArray();
			}
		}

		/** What the consumer sent, without the 24-byte HTTP/2 preface. */
		byte[] sent() {
			synchronized (this.fromDownstream) {
				byte[] all = this.fromDownstream.toByteArray();
				return Arrays.copyOfRange(all, Math.min(24, all.length), all.length);
			}
		}

	}

}
