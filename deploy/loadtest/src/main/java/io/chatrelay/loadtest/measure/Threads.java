package io.chatrelay.loadtest.measure;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads, so that the tool's threads are easy to find in a profile and
 * never keep the JVM alive.
 */
public final class Threads {

	private Threads() {
	}

	public static ThreadFactory daemon(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
