package io.chatrelay.client.redis;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's threads for the blocking Redis steps of answering a message: looking up a
 * conversation's progress and context, storing the new turn, keeping and finishing the
 * reply. Jedis has no asynchronous API, and the threads that complete answers (Dubbo's
 * consumer threads, the common pool on which the JDK HTTP client completes sends) serve
 * every other call too: a Redis round trip on them delays everyone.
 *
 * <p>
 * The queue is not bounded here because its callers are: the inbox holds at most
 * {@code chat.client.inbox.concurrency} entries in work, a web chat holds its request.
 * Deliberately not an {@link Executor} bean, so that Spring Boot's own task executor
 * stays what it is.
 */
public final class RedisWork implements AutoCloseable {

	private final ExecutorService executor;

	/**
	 * Start the threads.
	 * @param threads how many
	 */
	public RedisWork(int threads) {
		AtomicInteger count = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(threads, (task) -> {
			Thread thread = new Thread(task, "redis-work-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Where blocking Redis steps run.
	 * @return the executor
	 */
	public Executor executor() {
		return this.executor;
	}

	/**
	 * Finish what was queued (briefly) and stop the threads.
	 */
	@Override
	public void close() {
		this.executor.shutdown();
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
