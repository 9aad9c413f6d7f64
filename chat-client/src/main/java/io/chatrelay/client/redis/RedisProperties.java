package io.chatrelay.client.redis;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis connection ({@code chat.client.redis.*}): one server, a Sentinel-watched
 * primary, or a Cluster.
 *
 * @param mode {@code standalone} (one server at {@code url}), {@code sentinel} (the
 * primary {@code sentinel.master} as the sentinels name it) or {@code cluster}
 * ({@code cluster.nodes})
 * @param url {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for TLS),
 * standalone only
 * @param username the ACL user (any mode; overrides the URL's)
 * @param password its password (any mode; overrides the URL's); from a secret
 * @param ssl TLS to Redis (also on with {@code rediss://})
 * @param sslBundle a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>}) with
 * the CA that signed Redis's certificate (and a client certificate, if Redis asks for
 * one); without it the JVM's default trust store
 * @param sentinel the sentinels, for {@code sentinel}
 * @param cluster the cluster, for {@code cluster}
 * @param acknowledgeReplicas replicas that must hold an accepted platform message before
 * its callback is acknowledged ({@code WAIT}); 0 acknowledges once the primary has it
 * @param acknowledgeTimeout how long to wait for those replicas; a message they did not
 * confirm in time is answered 503, so the platform delivers it again
 * @param timeout connect and socket timeout
 * @param maxConnections pool size (per server in a cluster)
 * @param workerThreads threads that do the blocking Redis steps of answers (load and
 * store the context, keep and finish replies), so that neither Dubbo's nor the HTTP
 * client's threads wait on Redis
 */
@Validated
@ConfigurationProperties("chat.client.redis")
public record RedisProperties(@NotNull @DefaultValue("standalone") Mode mode,
		@NotBlank @DefaultValue("redis://127.0.0.1:6379") String url, String username, String password,
		@DefaultValue("false") boolean ssl, String sslBundle,
		@Valid @NotNull @DefaultValue @NestedConfigurationProperty Sentinel sentinel,
		@Valid @NotNull @DefaultValue @NestedConfigurationProperty Cluster cluster,
		@Min(0) @Max(16) @DefaultValue("0") int acknowledgeReplicas,
		@NotNull @DefaultValue("500ms") Duration acknowledgeTimeout, @NotNull @DefaultValue("2s") Duration timeout,
		@Min(1) @DefaultValue("64") int maxConnections, @Min(1) @Max(256) @DefaultValue("16") int workerThreads) {

	/** How the client finds Redis. */
	public enum Mode {

		/** One server at {@code url}. */
		STANDALONE,

		/** The primary that Redis Sentinel names. */
		SENTINEL,

		/** A Redis Cluster. */
		CLUSTER

	}

	/**
	 * The sentinels ({@code chat.client.redis.sentinel.*}).
	 *
	 * @param master the primary's name in the sentinels' configuration
	 * ({@code sentinel monitor <master> …})
	 * @param nodes the sentinels, {@code host:port} each
	 * @param username the sentinels' own ACL user, when they require one
	 * @param password the sentinels' own password ({@code requirepass} of the sentinels)
	 */
	public record Sentinel(String master, @DefaultValue List<String> nodes, String username, String password) {

		@Override
		public String toString() {
			return "Sentinel[master=" + this.master + ", nodes=" + this.nodes + "]";
		}

	}

	/**
	 * The cluster ({@code chat.client.redis.cluster.*}).
	 *
	 * @param nodes some of its servers, {@code host:port} each (the client discovers the
	 * rest)
	 * @param maxAttempts tries of a command across redirections and failovers
	 */
	public record Cluster(@DefaultValue List<String> nodes, @Min(1) @DefaultValue("5") int maxAttempts) {
	}

	@Override
	public String toString() {
		return "RedisProperties[mode=" + this.mode + ", " + switch (this.mode) {
			case STANDALONE -> "url=" + this.url.replaceAll("//[^@/]*@", "//***@");
			case SENTINEL -> this.sentinel;
			case CLUSTER -> "cluster=" + this.cluster.nodes();
		} + ((this.username != null) ? ", username=" + this.username : "") + ", ssl=" + this.ssl + "]";
	}

}
