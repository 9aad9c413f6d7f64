package io.chatrelay.client.system;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.chatrelay.api.ChatChunk;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRequest;
import io.chatrelay.api.ChatService;
import org.apache.dubbo.common.stream.StreamObserver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, item 2: thousands of concurrent Triple calls between one consumer and one
 * provider, paced as in the load tool's S3 (docs/benchmarks.md, "Issue 14: Triple under
 * many streams").
 */
class TripleManyStreamsIT {

	private static final Logger log = LoggerFactory.getLogger(TripleManyStreamsIT.class);

	private static final int TOKENS = 41;

	@BeforeAll
	static void quietLogs() {
		// Outside Spring Boot, Logback logs everything at DEBUG, Netty's HTTP/2 frame
		// logger included: one line per frame.
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.INFO);
		// With -Ddubbo.network.interface.ignored=.* (DESIGN.md §7) it warns on every
		// look-up.
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.dubbo.common.utils.NetUtils"))
			.setLevel(ch.qos.logback.classic.Level.ERROR);
	}

	@Test
	void thousandsOfConcurrentCallsOnOneConnectionAllComplete() throws Exception {
		int streams = Integer.getInteger("it.streams", 2000);
		int unary = Integer.getInteger("it.unary", 3000);
		try (PacedChatService model = new PacedChatService(1000, TOKENS, 100);
				TripleLoopback loopback = Boolean.getBoolean("it.record")
						? TripleLoopback.startRelayed(model, Map.of(), TripleLoopback.Relay.RECORDING)
						: TripleLoopback.start(model)) {
			Outcomes outcomes = callAll(loopback.chatService(), streams, unary, Duration.ofSeconds(2));
			outcomes.await(Duration.ofSeconds(90));
			log.info("{} streams, {} unary on one connection: {}", streams, unary, outcomes);
			if (loopback.relay() != null) {
				for (RecordingRelay.Connection connection : loopback.relay().connections()) {
					byte[] wire = connection.received();
					byte[] sent = connection.sent();
					log.info(
							"connection from port {}: {} bytes from the provider, first bad header block: {}; {} bytes"
									+ " from the consumer, first bad header block: {}",
							connection.clientPort(), wire.length, Http2Replay.firstBadHeaderBlock(wire), sent.length,
							Http2Replay.firstBadHeaderBlock(sent));
				}
			}
			assertThat(outcomes.failureSummary()).isEmpty();
			assertThat(outcomes.succeeded).hasSize(streams + unary);
		}
	}

	@Test
	void aConnectionErrorCancelsOnlyTheCallsOnThatConnection() throws Exception {
		int streams = Integer.getInteger("it.streams", 3000);
		try (PacedChatService model = new PacedChatService(1000, TOKENS, 100);
				TripleLoopback loopback = TripleLoopback.startRelayed(model,
						Map.of("transporter", PooledTransporter.NAME, "connections", "4"),
						TripleLoopback.Relay.CUTTING)) {
			Outcomes outcomes = callAll(loopback.chatService(), streams, 0, Duration.ofSeconds(1));
			awaitOpen(model, streams, Duration.ofSeconds(30), outcomes);
			List<RecordingRelay.Connection> connections = loopback.relay().connections();
			assertThat(connections).hasSize(4);
			RecordingRelay.Connection failing = connections.get(1);
			int failingPort = failing.upstreamLocalPort();
			failing.abort();
			outcomes.await(Duration.ofSeconds(60));
			Map<String, Integer> ports = model.callerPorts();
			Map<Boolean, List<String>> byConnection = ports.keySet()
				.stream()
				.collect(Collectors.partitioningBy((id) -> ports.get(id) == failingPort));
			log.info("{} streams on 4 connections, one failed ({} calls on it): {}", streams,
					byConnection.get(true).size(), outcomes);
			assertThat(ports).hasSize(streams);
			assertThat(byConnection.get(false)).allMatch(outcomes.succeeded::contains);
			assertThat(byConnection.get(true)).isNotEmpty().noneMatch(outcomes.succeeded::contains);
			assertThat(outcomes.failedIds()).containsExactlyInAnyOrderElementsOf(byConnection.get(true));
		}
	}

	private static void awaitOpen(PacedChatService model, int streams, Duration timeout, Outcomes outcomes)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (model.callerPorts().size() < streams && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(model.callerPorts()).as("calls recorded (%d streams open, %s)", model.streamsOpen(), outcomes)
			.hasSize(streams);
	}

	static Outcomes callAll(ChatService chat, int streams, int unary, Duration spread) throws InterruptedException {
		int total = streams + unary;
		Outcomes outcomes = new Outcomes(total);
		long pauseNanos = spread.toNanos() / Math.max(1, total);
		long start = System.nanoTime();
		for (int i = 0; i < total; i++) {
			// Streams spread evenly among the unary calls, as S3's web streams among its
			// platform messages.
			boolean stream = ((long) (i + 1) * streams / total) > ((long) i * streams / total);
			String id = (stream ? "s" : "u") + i;
			if (stream) {
				chat.chatStream(request(id), outcomes.streamObserver(id));
			}
			else {
				chat.chatAsync(request(id)).whenComplete((reply, error) -> outcomes.done(id, error));
			}
			long wait = start + (i + 1) * pauseNanos - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
		}
		return outcomes;
	}

	static ChatRequest request(String id) {
		return new ChatRequest(id, "it", "c-" + id, List.of(ChatMessage.user("hello " + id)), null,
				Map.of(ChatRequest.ATTR_CHANNEL, "web"));
	}

	/** What became of every call, by request id. */
	static final class Outcomes {

		final Set<String> succeeded = ConcurrentHashMap.newKeySet();

		final Map<String, String> failed = new ConcurrentHashMap<>();

		private final CompletableFuture<Void> allDone = new CompletableFuture<>();

		private final AtomicInteger remaining;

		Outcomes(int total) {
			this.remaining = new AtomicInteger(total);
		}

		StreamObserver<ChatChunk> streamObserver(String id) {
			return new StreamObserver<>() {

				private int chunks;

				@Override
				public void onNext(ChatChunk data) {
					this.chunks++;
				}

				@Override
				public void onError(Throwable throwable) {
					done(id, throwable);
				}

				@Override
				public void onCompleted() {
					done(id, (this.chunks == TOKENS) ? null
							: new IllegalStateException("completed after " + this.chunks + " chunks"));
				}
			};
		}

		void done(String id, Throwable error) {
			if (error == null) {
				this.succeeded.add(id);
			}
			else {
				this.failed.put(id, error.getClass().getSimpleName() + ": "
						+ String.valueOf(error.getMessage()).lines().findFirst().orElse("").replaceAll("[0-9]+", "#"));
			}
			if (this.remaining.decrementAndGet() == 0) {
				this.allDone.complete(null);
			}
		}

		Set<String> failedIds() {
			return this.failed.keySet();
		}

		Map<String, Long> failureSummary() {
			return this.failed.values().stream().collect(Collectors.groupingBy((kind) -> kind, Collectors.counting()));
		}

		void await(Duration timeout) throws Exception {
			this.allDone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public String toString() {
			return this.succeeded.size() + " succeeded, " + this.failed.size() + " failed " + failureSummary();
		}

	}

}
