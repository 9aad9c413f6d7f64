package io.chatrelay.client.redis;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis connection ({@code chat.client.redis.*}).
 *
 * @param url {@code redis://[user:password@]host:port[/db]}
 * @param timeout connect and socket timeout
 * @param maxConnections pool size
 * @param workerThreads threads that do the blocking Redis steps of answers (load and
 * store the context, keep and finish replies), so that neither Dubbo's nor the HTTP
 * client's threads wait on Redis
 */
@Validated
@ConfigurationProperties("chat.client.redis")
public record RedisProperties(@NotBlank @DefaultValue("redis://127.0.0.1:6379") String url,
		@NotNull @DefaultValue("2s") Duration timeout, @Min(1) @DefaultValue("64") int maxConnections,
		@Min(1) @Max(256) @DefaultValue("16") int workerThreads) {

	@Override
	public String toString() {
		return "RedisProperties[url=" + this.url.replaceAll("//[^@/]*@", "//***@") + "]";
	}

}
