package io.chatrelay.client.channel.dingtalk;

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
 * A DingTalk enterprise-internal robot in HTTP mode
 * ({@code chat.client.channel.dingtalk.*}). The channel is enabled when every credential
 * is set; credentials have no defaults and are never logged.
 *
 * @param appKey the app's Client ID (AppKey), for the OpenAPI access token
 * @param appSecret the app's Client Secret (AppSecret): signs every callback
 * @param robotCode the robot's code, for OpenAPI sends once a session webhook expired
 * @param apiBaseUrl the DingTalk OpenAPI
 * @param dedupeTtl how long a {@code msgId} is remembered (longer than the ±1 h timestamp
 * window, so that a replay inside it is also a duplicate)
 * @param sessionWebhookHosts the hosts a callback's {@code sessionWebhook} may point at,
 * over https only; DingTalk's {@code sign} covers only the timestamp, so the body (and
 * the URL in it) is not signed: answers are never posted anywhere else (the OpenAPI is
 * used instead, and a message with no other address is rejected)
 * @param maxBodyBytes the largest callback body read (413 beyond): the JSON of DingTalk's
 * largest message, see docs/configuration.md
 * @param replayWindow how long after a signature ({@code timestamp}, {@code sign}) is
 * first seen another message may still use it (messages signed in the same millisecond
 * share one); later it is a replay (401). Checked across nodes in Redis
 * @param sessionWebhookHttpHosts hosts a {@code sessionWebhook} may reach over plain
 * http: empty by default (https only); for tests against a local stand-in
 */
@Validated
@ConfigurationProperties("chat.client.channel.dingtalk")
public record DingTalkProperties(String appKey, String appSecret, String robotCode,
		@NotNull @DefaultValue("https://api.dingtalk.com") URI apiBaseUrl,
		@NotNull @DefaultValue("2h") Duration dedupeTtl, @NotNull @DefaultValue( {
				"oapi.dingtalk.com", "api.dingtalk.com" }) List<String> sessionWebhookHosts,
		@Min(1024) @DefaultValue("65536") int maxBodyBytes, @NotNull @DefaultValue("5s") Duration replayWindow,
		@NotNull @DefaultValue List<String> sessionWebhookHttpHosts) implements ChannelSettings{

	@Override
	public String channel() {
		return DingTalkChannel.NAME;
	}

	@Override
	public List<String> missing() {
		List<String> missing = new ArrayList<>();
		if (this.appKey == null || this.appKey.isBlank()) {
			missing.add("app-key");
		}
		if (this.appSecret == null || this.appSecret.isBlank()) {
			missing.add("app-secret");
		}
		if (this.robotCode == null || this.robotCode.isBlank()) {
			missing.add("robot-code");
		}
		return missing;
	}

	@Override
	public String toString() {
		return "DingTalkProperties[appKey=" + this.appKey + ", robotCode=" + this.robotCode + ", apiBaseUrl="
				+ this.apiBaseUrl + ", credentials " + (missing().isEmpty() ? "set" : "missing " + missing()) + "]";
	}

}
