package io.chatrelay.client.channel.feishu;

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
 * A Feishu/Lark app bot ({@code chat.client.channel.feishu.*}). The channel is enabled
 * when the app id, the app secret and the Encrypt Key are set: with an Encrypt Key every
 * event is encrypted and signed over its raw body; without one, only the Verification
 * Token in the body would vouch for it, and anyone who once saw an event knows the token.
 * The Verification Token is optional (checked as well when set). Credentials have no
 * defaults and are never logged.
 *
 * @param appId the app's App ID
 * @param appSecret the app's App Secret (for the tenant_access_token)
 * @param verificationToken the event subscription's Verification Token, optional
 * @param encryptKey the event subscription's Encrypt Key, required
 * @param apiBaseUrl the Feishu (or Lark: {@code https://open.larksuite.com}) Open API
 * @param timestampWindow signed events whose timestamp is further from this node's clock
 * are rejected as stale; Feishu's retries run for about 7.1 h and nothing documents that
 * a retry is signed again with a fresh timestamp, so the default covers them
 * @param dedupeTtl how long an {@code event_id} is remembered: longer than Feishu's
 * retries and the timestamp window
 * @param maxBodyBytes the largest callback body read (413 beyond): the encrypted JSON of
 * Feishu's largest message, see docs/configuration.md
 */
@Validated
@ConfigurationProperties("chat.client.channel.feishu")
public record FeishuProperties(String appId, String appSecret, String verificationToken, String encryptKey,
		@NotNull @DefaultValue("https://open.feishu.cn") URI apiBaseUrl,
		@NotNull @DefaultValue("8h") Duration timestampWindow, @NotNull @DefaultValue("9h") Duration dedupeTtl,
		@Min(1024) @DefaultValue("262144") int maxBodyBytes) implements ChannelSettings {

	@Override
	public String channel() {
		return FeishuChannel.NAME;
	}

	@Override
	public List<String> missing() {
		List<String> missing = new ArrayList<>();
		if (blank(this.appId)) {
			missing.add("app-id");
		}
		if (blank(this.appSecret)) {
			missing.add("app-secret");
		}
		if (blank(this.encryptKey)) {
			missing.add(blank(this.verificationToken) ? "encrypt-key"
					: "encrypt-key (a verification-token alone does not authenticate events)");
		}
		return missing;
	}

	static boolean blank(String value) {
		return value == null || value.isBlank();
	}

	@Override
	public String toString() {
		return "FeishuProperties[appId=" + this.appId + ", apiBaseUrl=" + this.apiBaseUrl + ", credentials "
				+ (missing().isEmpty() ? "set" : "missing " + missing()) + "]";
	}

}
