package io.chatrelay.client.system;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Static settings of a client node ({@code chat.client.*}).
 *
 * @param tenantId the company this deployment serves; part of every Redis key
 * @param redis where conversation state lives
 * @param conversation context rules
 * @param web the web channel
 */
@Validated
@ConfigurationProperties("chat.client")
public record ClientProperties(@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String tenantId,
		@Valid @NotNull @DefaultValue Redis redis, @Valid @NotNull @DefaultValue Conversation conversation,
		@Valid @NotNull @DefaultValue Web web) {

	/**
	 * Redis connection.
	 *
	 * @param url {@code redis://[user:password@]host:port[/db]}
	 * @param timeout connect and socket timeout
	 * @param maxConnections pool size
	 * @param workerThreads threads that do the blocking Redis steps of answers (load and
	 * store the context, keep and finish replies), so that neither Dubbo's nor the HTTP
	 * client's threads wait on Redis
	 */
	public record Redis(@NotBlank @DefaultValue("redis://127.0.0.1:6379") String url,
			@NotNull @DefaultValue("2s") Duration timeout, @Min(1) @DefaultValue("64") int maxConnections,
			@Min(1) @Max(256) @DefaultValue("16") int workerThreads) {

		@Override
		public String toString() {
			return "Redis[url=" + this.url.replaceAll("//[^@/]*@", "//***@") + "]";
		}

	}

	/**
	 * Conversation context rules.
	 *
	 * @param ttl idle time after which a conversation's context is forgotten (sliding)
	 * @param maxTurns how many earlier question/answer turns are sent as context
	 * @param systemPrompt prepended to every request when not blank
	 */
	public record Conversation(@NotNull @DefaultValue("30m") Duration ttl,
			@Min(0) @Max(200) @DefaultValue("20") int maxTurns, @DefaultValue("") String systemPrompt) {
	}

	/**
	 * The web channel.
	 *
	 * @param maxBodyBytes requests with a larger body are rejected with 413
	 * @param maxMessageChars longest accepted message
	 */
	public record Web(@Min(1024) @DefaultValue("65536") int maxBodyBytes,
			@Min(1) @DefaultValue("16000") int maxMessageChars) {
	}

}
