package io.chatrelay.provider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The chat-provider node: serves {@link io.chatrelay.api.ChatService} over Dubbo Triple
 * in front of the LLM vendors.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProviderApplication {

	/** The JDK's setting for the common pool's size, read when the pool is first used. */
	static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

	public static void main(String[] args) {
		// With fewer than 3 CPUs the common pool gets parallelism 1, and
		// CompletableFuture
		// then starts a new thread for every async step; the JDK HttpClient completes
		// each
		// response with one, so thousands of threads a minute under load
		// (docs/benchmarks.md). At least 2 keeps the pool; an explicit setting wins.
		if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
			int cpus = Runtime.getRuntime().availableProcessors();
			System.setProperty(COMMON_POOL_PARALLELISM, String.valueOf(Math.max(2, cpus - 1)));
		}
		SpringApplication.run(ProviderApplication.class, args);
	}

}
