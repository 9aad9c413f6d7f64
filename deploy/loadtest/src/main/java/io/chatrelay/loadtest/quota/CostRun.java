package io.chatrelay.loadtest.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.chatrelay.loadtest.measure.LatencySummary;
import org.HdrHistogram.Histogram;

/**
 * What one acquire costs: the user's and the tenant's requests per minute (limits far
 * above the load, so every acquire is granted and the cost is the common path's), for
 * {@value #USERS} users of one tenant, on two nodes. One thread measures latency; many
 * measure throughput, where every acquire also contends on the tenant's key.
 */
final class CostRun {

	static final int USERS = 1_000;

	private static final BenchLimits LIMITS = BenchLimits.requests(1_000_000, 10_000_000);

	private final QuotaPort[] nodes;

	private final CountingJedis.Sent sent;

	private final Supplier<RedisInfo> info;

	private final String[] users;

	/**
	 * Quotas for one implementation on two nodes.
	 * @param implementation the implementation
	 * @param first one node
	 * @param second the other
	 * @param sent the commands both nodes' clients sent
	 * @param info reads the server's statistics
	 * @param run names this run's keys
	 */
	CostRun(Implementation implementation, Implementation.Node first, Implementation.Node second,
			CountingJedis.Sent sent, Supplier<RedisInfo> info, String run) {
		String tenant = run + "-cost-" + implementation.name().toLowerCase(java.util.Locale.ROOT);
		this.nodes = new QuotaPort[] { implementation.open(first, tenant, LIMITS),
				implementation.open(second, tenant, LIMITS) };
		this.sent = sent;
		this.info = info;
		this.users = new String[USERS];
		for (int i = 0; i < USERS; i++) {
			this.users[i] = "user" + i;
		}
	}

	/**
	 * Acquire from one thread for a while, timing each.
	 * @param window how long
	 * @return the measurement
	 */
	Measurement latency(Duration window) {
		Histogram micros = LatencySummary.histogram();
		Counters before = counters();
		long refused = 0;
		long count = 0;
		long start = System.nanoTime();
		long end = start + window.toNanos();
		long now = start;
		while (now < end) {
			long begin = now;
			if (this.nodes[0].acquire(this.users[(int) (count % USERS)]) == null) {
				refused++;
			}
			now = System.nanoTime();
			LatencySummary.record(micros, now - begin);
			count++;
		}
		return new Measurement(count, refused, now - start, micros, counters().since(before));
	}

	/**
	 * Acquire from many threads, half on each node, for a while.
	 * @param threads how many threads
	 * @param window how long
	 * @return the measurement (no latencies)
	 * @throws InterruptedException if interrupted
	 */
	Measurement throughput(int threads, Duration window) throws InterruptedException {
		AtomicLong count = new AtomicLong();
		AtomicLong refused = new AtomicLong();
		List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		long[] deadline = new long[1];
		for (int t = 0; t < threads; t++) {
			int thread = t;
			Thread worker = new Thread(() -> {
				QuotaPort node = this.nodes[thread % 2];
				long mine = 0;
				long no = 0;
				ready.countDown();
				try {
					go.await();
					while (System.nanoTime() < deadline[0]) {
						if (node.acquire(this.users[(int) ((mine * threads + thread) % USERS)]) == null) {
							no++;
						}
						mine++;
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (RuntimeException ex) {
					failures.add(ex);
				}
				count.addAndGet(mine);
				refused.addAndGet(no);
			}, "quota-bench-" + t);
			workers.add(worker);
			worker.start();
		}
		ready.await();
		Counters before = counters();
		long start = System.nanoTime();
		deadline[0] = start + window.toNanos();
		go.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		long elapsed = System.nanoTime() - start;
		if (!failures.isEmpty()) {
			throw new IllegalStateException("An acquire failed", failures.get(0));
		}
		return new Measurement(count.get(), refused.get(), elapsed, null, counters().since(before));
	}

	private Counters counters() {
		return new Counters(this.sent.snapshot(), this.info.get());
	}

	/**
	 * The client's and the server's counters at one time, or their difference.
	 *
	 * @param sent commands the nodes sent, by name
	 * @param server the server's statistics
	 */
	record Counters(Map<String, Long> sent, RedisInfo server) {

		Counters since(Counters before) {
			Map<String, Long> calls = new HashMap<>(this.server.since(before.server).calls());
			// The bench's own INFO calls are not the quotas'.
			calls.remove("info");
			return new Counters(RedisInfo.delta(before.sent, this.sent),
					new RedisInfo(calls, this.server.cpuSeconds() - before.server.cpuSeconds()));
		}

	}

	/**
	 * One measurement.
	 *
	 * @param acquires acquires made
	 * @param refused how many were refused (0 expected)
	 * @param nanos how long it took
	 * @param micros each acquire's latency in µs, or {@code null}
	 * @param counters what the clients sent and the server did meanwhile
	 */
	record Measurement(long acquires, long refused, long nanos, Histogram micros, Counters counters) {

		double perSecond() {
			return this.acquires * 1e9 / this.nanos;
		}

		double roundTrips() {
			return RedisInfo.totalPerOperation(this.counters.sent(), this.acquires);
		}

		double redisCommands() {
			return RedisInfo.totalPerOperation(this.counters.server().calls(), this.acquires);
		}

		double redisCpuMsPer10k() {
			return (this.acquires == 0) ? 0 : this.counters.server().cpuSeconds() * 1000 * 10_000 / this.acquires;
		}

	}

}
