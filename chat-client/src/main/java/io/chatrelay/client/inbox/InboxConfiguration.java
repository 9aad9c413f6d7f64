package io.chatrelay.client.inbox;

import java.util.function.ToDoubleFunction;

import io.chatrelay.client.redis.RedisProperties;
import io.chatrelay.client.tenant.TenantProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import redis.clients.jedis.UnifiedJedis;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the durable inbox, its gauges and the dead-letter endpoint.
 */
@Configuration(proxyBeanMethods = false)
class InboxConfiguration {

	@Bean
	Inbox inbox(UnifiedJedis jedis, TenantProperties client, InboxProperties properties, RedisProperties redis,
			MeterRegistry meters) {
		Inbox inbox = new Inbox(jedis, client.tenantId(), properties, redis.acknowledgeReplicas(),
				redis.acknowledgeTimeout());
		InboxStatsCache stats = new InboxStatsCache(inbox);
		gauge(meters, "chat.client.inbox.length", "Messages accepted and not yet answered", stats,
				(s) -> s.get().length());
		gauge(meters, "chat.client.inbox.pending", "Messages a node is working on or waiting to retry", stats,
				(s) -> s.get().pending());
		gauge(meters, "chat.client.inbox.oldest.pending.seconds", "Age of the oldest message being worked on", stats,
				(s) -> s.get().oldestPendingAgeMillis() / 1000.0);
		gauge(meters, "chat.client.inbox.dead.letters", "Messages in the dead-letter stream", stats,
				(s) -> s.get().deadLetters());
		return inbox;
	}

	@Bean
	InboxPressure inboxPressure(InboxProperties properties, MeterRegistry meters) {
		InboxPressure pressure = new InboxPressure(properties.maxQueueDelay());
		Gauge.builder("chat.client.inbox.queue.delay.seconds", pressure, (p) -> p.queueDelayMillis() / 1000.0)
			.description("The shortest time messages started by this node in the last second had queued since "
					+ "their acceptance")
			.register(meters);
		Gauge.builder("chat.client.inbox.overloaded", pressure, (p) -> p.overloaded() ? 1 : 0)
			.description("1 while this node refuses callbacks, in part or in full, because it is past its capacity")
			.register(meters);
		Gauge.builder("chat.client.inbox.refused.share", pressure, InboxPressure::refusedShare)
			.description("The share of callbacks this node refuses with 503 (0 to 1)")
			.register(meters);
		return pressure;
	}

	@Bean
	DeadLetterEndpoint deadLetterEndpoint(Inbox inbox) {
		return new DeadLetterEndpoint(inbox.deadLetters());
	}

	private static void gauge(MeterRegistry meters, String name, String description, InboxStatsCache stats,
			ToDoubleFunction<InboxStatsCache> value) {
		Gauge.builder(name, stats, value).description(description).register(meters);
	}

	/**
	 * The inbox's numbers, read from Redis at most once a second however many gauges ask.
	 */
	static final class InboxStatsCache {

		private final Inbox inbox;

		private volatile Inbox.Stats stats = new Inbox.Stats(0, 0, 0, 0);

		private volatile long readAt;

		InboxStatsCache(Inbox inbox) {
			this.inbox = inbox;
		}

		Inbox.Stats get() {
			long now = System.nanoTime();
			if (now - this.readAt > 1_000_000_000L) {
				try {
					this.stats = this.inbox.stats();
				}
				catch (RuntimeException ex) {
					// Redis down: keep the last numbers; the health check reports Redis.
				}
				this.readAt = now;
			}
			return this.stats;
		}

	}

}
