package io.chatrelay.loadtest.quota;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Whether the limits hold exactly across two client nodes under concurrency: attempts
 * from many threads, alternating between the nodes, all within the first minute of fresh
 * keys.
 */
final class Exactness {

	static final long USER_PER_MINUTE = 60;

	static final long TENANT_PER_MINUTE = 100;

	static final int ATTEMPTS = 300;

	static final long RESERVE = 1_000;

	static final long TOKEN_LIMIT = 20_000;

	static final long LOOSE_LIMIT = 1_000_000;

	private final Implementation implementation;

	private final Implementation.Node first;

	private final Implementation.Node second;

	private final int threads;

	private final String run;

	/**
	 * Checks for one implementation.
	 * @param implementation the implementation
	 * @param first one node
	 * @param second the other node
	 * @param threads threads making attempts
	 * @param run a name for this run's keys (fresh keys each run)
	 */
	Exactness(Implementation implementation, Implementation.Node first, Implementation.Node second, int threads,
			String run) {
		this.implementation = implementation;
		this.first = first;
		this.second = second;
		this.threads = threads;
		this.run = run;
	}

	/**
	 * Run every check.
	 * @return the results
	 * @throws InterruptedException if interrupted
	 */
	List<Check> run() throws InterruptedException {
		List<Check> checks = new ArrayList<>();
		checks.add(userPerMinute());
		checks.add(userAndTenantPerMinute());
		checks.add(tokens("tokens/day (day binds)", TOKEN_LIMIT, LOOSE_LIMIT, 0));
		checks.add(tokens("tokens/month (month binds)", LOOSE_LIMIT, TOKEN_LIMIT, 1));
		return checks;
	}

	private Check userPerMinute() throws InterruptedException {
		QuotaPort[] nodes = nodes("rpm", BenchLimits.requests(USER_PER_MINUTE, 0));
		AtomicLong granted = new AtomicLong();
		attempt(ATTEMPTS, (i) -> () -> {
			if (nodes[i % 2].acquire("alice") != null) {
				granted.incrementAndGet();
			}
		});
		return new Check("user 60/min: " + ATTEMPTS + " attempts", this.implementation, "60",
				Long.toString(granted.get()), granted.get() == USER_PER_MINUTE);
	}

	private Check userAndTenantPerMinute() throws InterruptedException {
		QuotaPort[] nodes = nodes("rpmt", BenchLimits.requests(USER_PER_MINUTE, TENANT_PER_MINUTE));
		AtomicLong[] granted = { new AtomicLong(), new AtomicLong() };
		attempt(2 * ATTEMPTS, (i) -> () -> {
			int user = (i / 2) % 2;
			if (nodes[i % 2].acquire((user == 0) ? "alice" : "bob") != null) {
				granted[user].incrementAndGet();
			}
		});
		long alice = granted[0].get();
		long bob = granted[1].get();
		return new Check("user 60/min + tenant 100/min: 2 users × " + ATTEMPTS + " attempts", this.implementation,
				"100 (each ≤ 60)", (alice + bob) + " (" + alice + " + " + bob + ")",
				alice + bob == TENANT_PER_MINUTE && alice <= USER_PER_MINUTE && bob <= USER_PER_MINUTE);
	}

	/**
	 * Reserve {@value #RESERVE} tokens, hold them a millisecond, settle to 100–1,000
	 * used: exact when the tokens left are the limit less the tokens used, on both
	 * limits, and the binding one is spent to less than one reservation.
	 */
	private Check tokens(String name, long perDay, long perMonth, int binding) throws InterruptedException {
		String user = "carol";
		QuotaPort[] nodes = nodes("tok" + binding, BenchLimits.tokens(perDay, perMonth, RESERVE));
		AtomicLong used = new AtomicLong();
		AtomicLong granted = new AtomicLong();
		attempt(ATTEMPTS, (i) -> () -> {
			QuotaPort node = nodes[i % 2];
			QuotaPort.Grant grant = node.acquire(user);
			if (grant != null) {
				granted.incrementAndGet();
				long tokens = usedTokens(i);
				pause();
				node.settle(grant, tokens);
				used.addAndGet(tokens);
			}
		});
		// Concurrent reservations refuse while others are held: then, alone, take until
		// refused, which must leave less than one reservation.
		long drained = 0;
		for (int i = ATTEMPTS; i < 2 * ATTEMPTS; i++) {
			QuotaPort.Grant grant = nodes[i % 2].acquire(user);
			if (grant == null) {
				break;
			}
			long tokens = usedTokens(i);
			nodes[i % 2].settle(grant, tokens);
			used.addAndGet(tokens);
			drained++;
		}
		long[] left = nodes[0].tokensLeft(user);
		long[] limits = { perDay, perMonth };
		boolean exact = used.get() <= limits[binding] && left[0] == perDay - used.get()
				&& left[1] == perMonth - used.get() && left[binding] < RESERVE;
		return new Check(name + ": reserve " + RESERVE + ", settle to used, " + ATTEMPTS + " attempts",
				this.implementation,
				"left = limit − used on both (" + limits[binding] + " − used), < " + RESERVE + " left at the end",
				granted.get() + " granted (+ " + drained + " alone after), used " + used.get() + ", left " + left[0]
						+ " / " + left[1],
				exact);
	}

	/** 100 to 1,000 tokens, spread over the attempts. */
	static long usedTokens(int attempt) {
		return 100 + (attempt * 7_919L) % 901;
	}

	private QuotaPort[] nodes(String check, BenchLimits limits) {
		String tenant = this.run + "-" + check + "-" + this.implementation.name().toLowerCase(java.util.Locale.ROOT);
		return new QuotaPort[] { this.implementation.open(this.first, tenant, limits),
				this.implementation.open(this.second, tenant, limits) };
	}

	private void attempt(int count, IntFunction<Runnable> attempt) throws InterruptedException {
		ExecutorService pool = Executors.newFixedThreadPool(this.threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> done = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				Runnable task = attempt.apply(i);
				done.add(pool.submit(() -> {
					start.await();
					task.run();
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("An attempt failed: " + ex.getCause(), ex);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One check's result.
	 *
	 * @param name what was checked
	 * @param implementation by which implementation
	 * @param expected what exact means
	 * @param got what happened
	 * @param exact whether it was exact
	 */
	record Check(String name, Implementation implementation, String expected, String got, boolean exact) {
	}

}
