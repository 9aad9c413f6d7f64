package io.chatrelay.client.channel.wecom;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.chatrelay.client.intake.ChannelSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A WeCom self-built app ({@code chat.client.channel.wecom.*}). The channel is enabled
 * when every credential is set; credentials have no defaults and are never logged.
 *
 * @param corpId the company's CorpID (also the receiveid checked in every callback)
 * @param agentId the app's AgentId
 * @param secret the app's Secret (for {@code gettoken})
 * @param token the callback Token (signatures)
 * @param encodingAesKey the callback EncodingAESKey (43 characters)
 * @param apiBaseUrl the WeCom API
 * @param timestampWindow callbacks whose timestamp is further from this node's clock are
 * rejected as stale
 * @param dedupeTtl how long a message id is remembered (longer than WeCom's retries and
 * than the timestamp window)
 * @param maxBodyBytes the largest callback body read (413 beyond): the encrypted XML of
 * WeCom's largest message, see docs/configuration.md
 */
@Validated
@ConfigurationProperties("chat.client.channel.wecom")
public record WeComProperties(String corpId, String agentId, String secret, String token, String encodingAesKey,
		@NotNull @DefaultValue("https://qyapi.weixin.qq.com") URI apiBaseUrl,
		@NotNull @DefaultValue("1h") Duration timestampWindow, @NotNull @DefaultValue("2h") Duration dedupeTtl,
		@Min(1024) @DefaultValue("65536") int maxBodyBytes) implements ChannelSettings {

	@Override
	public String channel() {
		return WeComChannel.NAME;
	}

	@Override
	public List<String> missing() {
		List<String> missing = new ArrayList<>();
		check(missing, this.corpId, "corp-id");
		check(missing, this.agentId, "agent-id");
		check(missing, this.secret, "secret");
		check(missing, this.token, "token");
		check(missing, this.encodingAesKey, "encoding-aes-key");
		return missing;
	}

	private static void check(List<String> missing, String value, String name) {
		if (value == null || value.isBlank()) {
			missing.add(name);
		}
	}

	@Override
	public String toString() {
		return "WeComProperties[corpId=" + this.corpId + ", agentId=" + this.agentId + ", apiBaseUrl=" + this.apiBaseUrl
				+ ", credentials " + (missing().isEmpty() ? "set" : "missing " + missing()) + "]";
	}

}
