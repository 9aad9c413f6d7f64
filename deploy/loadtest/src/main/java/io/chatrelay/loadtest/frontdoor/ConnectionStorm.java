package io.chatrelay.loadtest.frontdoor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.chatrelay.loadtest.measure.LatencySummary;
import org.HdrHistogram.Histogram;

/**
 * Opens new TCP connections to a server at a fixed rate, each for one HTTP/1.1 request
 * with {@code Connection: close}, and times the connect and the response from each
 * connection's due time (an open model: a slow server cannot slow the storm down). One
 * thread and one selector drive every connection, so thousands can wait at once.
 *
 * <p>
 * What a platform's gateway does when a node's keep-alive connections are all busy: issue
 * 14's "2,000 new connections a second must not time out at connect".
 */
public final class ConnectionStorm {

	private static final long SWEEP_NANOS = 50_000_000L;

	private final InetSocketAddress target;

	private final byte[] request;

	private final Duration connectTimeout;

	private final Duration responseTimeout;

	/**
	 * Prepare a storm.
	 * @param target the server
	 * @param path the request's path ({@code GET})
	 * @param connectTimeout a connect not done by then counts as a connect timeout
	 * @param responseTimeout a status line not read by then (after the connect) counts as
	 * a response timeout
	 */
	public ConnectionStorm(InetSocketAddress target, String path, Duration connectTimeout, Duration responseTimeout) {
		this.target = target;
		this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + target.getHostString() + ":" + target.getPort()
				+ "\r\nConnection: close\r\nUser-Agent: chat-relay-loadtest\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		this.connectTimeout = connectTimeout;
		this.responseTimeout = responseTimeout;
	}

	/**
	 * Open {@code rate} connections a second for {@code duration}, then wait for the last
	 * ones (at most the two timeouts).
	 * @param rate new connections per second
	 * @param duration how long
	 * @return what happened
	 * @throws IOException if no selector can be opened
	 */
	public FrontDoorStep run(double rate, Duration duration) throws IOException {
		long total = Math.round(rate * duration.toNanos() / 1e9);
		Tally tally = new Tally();
		long start = System.nanoTime() + 20_000_000L;
		long hardEnd = start + duration.toNanos() + this.connectTimeout.toNanos() + this.responseTimeout.toNanos();
		long lastSweep = start;
		long opened = 0;
		try (Selector selector = Selector.open()) {
			while (true) {
				long now = System.nanoTime();
				while (opened < total && start + (long) (opened * 1e9 / rate) <= now) {
					open(selector, start + (long) (opened * 1e9 / rate), tally);
					opened++;
				}
				if ((opened == total && selector.keys().isEmpty()) || now > hardEnd) {
					break;
				}
				selector.select(1);
				for (SelectionKey key : selector.selectedKeys()) {
					handle(key, tally);
				}
				selector.selectedKeys().clear();
				if (now - lastSweep > SWEEP_NANOS) {
					sweep(selector, now, tally);
					lastSweep = now;
				}
			}
			for (SelectionKey key : selector.keys()) {
				Connection connection = (Connection) key.attachment();
				tally.unfinished++;
				connection.close();
			}
		}
		double seconds = duration.toNanos() / 1e9;
		return new FrontDoorStep(rate, seconds, total, tally.connected, tally.connectTimeouts, tally.connectFailures,
				tally.answered, tally.responseTimeouts, tally.responseFailures + tally.unfinished, tally.statuses,
				LatencySummary.of(tally.connect), LatencySummary.of(tally.response), tally.maxOpen);
	}

	private void open(Selector selector, long due, Tally tally) {
		SocketChannel channel = null;
		try {
			channel = SocketChannel.open();
			channel.configureBlocking(false);
			Connection connection = new Connection(channel, due, ByteBuffer.wrap(this.request));
			if (channel.connect(this.target)) {
				connected(connection, System.nanoTime(), tally);
				channel.register(selector, SelectionKey.OP_WRITE, connection);
			}
			else {
				channel.register(selector, SelectionKey.OP_CONNECT, connection);
			}
			tally.maxOpen = Math.max(tally.maxOpen, selector.keys().size());
		}
		catch (IOException ex) {
			tally.connectFailures++;
			closeQuietly(channel);
		}
	}

	private void handle(SelectionKey key, Tally tally) {
		Connection connection = (Connection) key.attachment();
		try {
			if (key.isConnectable()) {
				connection.channel.finishConnect();
				connected(connection, System.nanoTime(), tally);
				key.interestOps(SelectionKey.OP_WRITE);
			}
			else if (key.isWritable()) {
				connection.channel.write(connection.out);
				if (!connection.out.hasRemaining()) {
					key.interestOps(SelectionKey.OP_READ);
				}
			}
			else if (key.isReadable()) {
				read(key, connection, tally);
			}
		}
		catch (IOException ex) {
			if (connection.connectedAt == 0) {
				tally.connectFailures++;
			}
			else if (connection.status == 0) {
				tally.responseFailures++;
			}
			key.cancel();
			connection.close();
		}
	}

	private void read(SelectionKey key, Connection connection, Tally tally) throws IOException {
		int read = connection.channel.read(connection.in);
		if (connection.status == 0 && connection.in.position() >= 12) {
			String line = new String(connection.in.array(), 0, 12, StandardCharsets.US_ASCII);
			connection.status = line.startsWith("HTTP/1.") ? parseStatus(line) : -1;
			LatencySummary.record(tally.response, System.nanoTime() - connection.due);
			tally.answered++;
			tally.statuses.merge(connection.status, 1L, Long::sum);
		}
		if (!connection.in.hasRemaining()) {
			// Only the status line matters: read the rest into the same buffer.
			connection.in.position(Math.min(12, connection.in.limit()));
		}
		if (read < 0) {
			if (connection.status == 0) {
				tally.responseFailures++;
			}
			key.cancel();
			connection.close();
		}
	}

	private static int parseStatus(String line) {
		try {
			return Integer.parseInt(line.substring(9, 12));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private void connected(Connection connection, long now, Tally tally) {
		connection.connectedAt = now;
		tally.connected++;
		LatencySummary.record(tally.connect, now - connection.due);
	}

	private void sweep(Selector selector, long now, Tally tally) {
		for (SelectionKey key : selector.keys()) {
			Connection connection = (Connection) key.attachment();
			if (connection.connectedAt == 0 && now - connection.due > this.connectTimeout.toNanos()) {
				tally.connectTimeouts++;
				key.cancel();
				connection.close();
			}
			else if (connection.connectedAt != 0 && connection.status == 0
					&& now - connection.connectedAt > this.responseTimeout.toNanos()) {
				tally.responseTimeouts++;
				key.cancel();
				connection.close();
			}
		}
	}

	private static void closeQuietly(SocketChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing left to do
			}
		}
	}

	private static final class Connection {

		final SocketChannel channel;

		final long due;

		final ByteBuffer out;

		final ByteBuffer in = ByteBuffer.allocate(256);

		long connectedAt;

		int status;

		Connection(SocketChannel channel, long due, ByteBuffer out) {
			this.channel = channel;
			this.due = due;
			this.out = out;
		}

		void close() {
			closeQuietly(this.channel);
		}

	}

	private static final class Tally {

		final Histogram connect = LatencySummary.histogram();

		final Histogram response = LatencySummary.histogram();

		final Map<Integer, Long> statuses = new TreeMap<>();

		long connected;

		long connectTimeouts;

		long connectFailures;

		long answered;

		long responseTimeouts;

		long responseFailures;

		long unfinished;

		int maxOpen;

	}

}
