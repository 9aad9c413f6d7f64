package io.chatrelay.loadtest.quota;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A pooled {@link UnifiedJedis}, as a client node has ({@code JedisPooled}), that counts
 * the commands it sends by name: without pipelining each is one round trip.
 */
final class CountingJedis {

	private CountingJedis() {
	}

	/**
	 * Open a pooled client.
	 * @param address Redis
	 * @param connections the pool's size
	 * @param sent where to count the commands sent
	 * @return the client
	 */
	static UnifiedJedis open(HostAndPort address, int connections, Sent sent) {
		GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
		pool.setMaxTotal(connections);
		pool.setMaxIdle(connections);
		pool.setMinIdle(connections);
		pool.setJmxEnabled(false);
		PooledConnectionProvider provider = new PooledConnectionProvider(address,
				DefaultJedisClientConfig.builder().clientName("quota-bench").build(), pool);
		DefaultCommandExecutor executor = new DefaultCommandExecutor(provider);
		CommandExecutor counting = new CommandExecutor() {

			@Override
			public <T> T executeCommand(CommandObject<T> command) {
				sent.count(command.getArguments().getCommand().toString());
				return executor.executeCommand(command);
			}

			@Override
			public void close() throws Exception {
				executor.close();
			}

		};
		return new UnifiedJedis(counting, provider, new CommandObjects());
	}

	/**
	 * Commands sent, by name.
	 */
	static final class Sent {

		private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

		void count(String command) {
			this.counts.computeIfAbsent(command.toLowerCase(java.util.Locale.ROOT), (c) -> new LongAdder()).increment();
		}

		/**
		 * What was sent so far.
		 * @return commands by name (sorted)
		 */
		Map<String, Long> snapshot() {
			Map<String, Long> copy = new TreeMap<>();
			this.counts.forEach((command, count) -> copy.put(command, count.sum()));
			return copy;
		}

	}

}
