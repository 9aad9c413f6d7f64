package io.chatrelay.client.channel.wecombot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.chatrelay.client.intake.ChannelSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A WeCom 智能机器人 ({@code chat.client.channel.wecom-bot.*}). The channel is enabled when
 * both credentials are set; they have no defaults and are never logged. The durations are
 * checked against WeCom's stream life (refreshes stop 6 min after the user's message).
 *
 * @param token the callback Token (signatures)
 * @param encodingAesKey the callback EncodingAESKey (43 characters)
 * @param timestampWindow callbacks whose timestamp is further from this node's clock are
 * rejected as stale
 * @param dedupeTtl how long a msgid is remembered with its stream: at least the timestamp
 * window and the 6-minute stream life
 * @param streamTtl how long a stream's state is kept in Redis after it started: at least
 * the 6-minute stream life
 * @param streamDeadline a stream not finished this long after it started is answered as
 * finished with what there is (below 6 min, so that WeCom sees the end)
 * @param maxBodyBytes the largest callback body read (413 beyond): the encrypted JSON of
 * the bot's largest message, see docs/configuration.md
 */
@Validated
@ConfigurationProperties("chat.client.channel.wecom-bot")
public record WeComBotProperties(String token, String encodingAesKey,
		@NotNull @DefaultValue("1h") Duration timestampWindow, @NotNull @DefaultValue("2h") Duration dedupeTtl,
		@NotNull @DefaultValue("10m") Duration streamTtl, @NotNull @DefaultValue("330s") Duration streamDeadline,
		@Min(1024) @DefaultValue("131072") int maxBodyBytes) implements ChannelSettings {

	/** WeCom stops refreshing a stream this long after the user's message. */
	public static final Duration STREAM_LIFE = Duration.ofMinutes(6);

	// Relations are checked by Bean Validation, not in a compact constructor: Spring Boot
	// reports a constructor failure with the value of the last bound property, which can
	// be the EncodingAESKey.

	/**
	 * Whether the timestamp window is a window.
	 * @return {@code true} when {@code timestamp-window} is positive
	 */
	@AssertTrue(message = "timestamp-window must be positive")
	public boolean isTimestampWindowPositive() {
		return this.timestampWindow == null || (!this.timestampWindow.isNegative() && !this.timestampWindow.isZero());
	}

	/**
	 * Whether a msgid is remembered at least as long as a replay is accepted and a stream
	 * lives.
	 * @return {@code true} when {@code dedupe-ttl} is long enough
	 */
	@AssertTrue(message = "dedupe-ttl must cover the timestamp-window and the 6-minute stream life")
	public boolean isDedupeTtlLongEnough() {
		return this.dedupeTtl == null || this.timestampWindow == null
				|| (this.dedupeTtl.compareTo(this.timestampWindow) >= 0 && this.dedupeTtl.compareTo(STREAM_LIFE) >= 0);
	}

	/**
	 * Whether a stream's state outlives WeCom's refreshes.
	 * @return {@code true} when {@code stream-ttl} is at least 6 minutes
	 */
	@AssertTrue(message = "stream-ttl must cover the 6-minute stream life")
	public boolean isStreamTtlLongEnough() {
		return this.streamTtl == null || this.streamTtl.compareTo(STREAM_LIFE) >= 0;
	}

	/**
	 * Whether the forced end of a stream comes before WeCom stops refreshing.
	 * @return {@code true} when {@code stream-deadline} is between 0 and 6 minutes
	 */
	@AssertTrue(message = "stream-deadline must be between 0 and 6 minutes")
	public boolean isStreamDeadlineBeforeTheEnd() {
		return this.streamDeadline == null || (!this.streamDeadline.isNegative() && !this.streamDeadline.isZero()
				&& this.streamDeadline.compareTo(STREAM_LIFE) < 0);
	}

	@Override
	public String channel() {
		return WeComBotChannel.NAME;
	}

	@Override
	public List<String> missing() {
		List<String> missing = new ArrayList<>();
		if (this.token == null || this.token.isBlank()) {
			missing.add("token");
		}
		if (this.encodingAesKey == null || this.encodingAesKey.isBlank()) {
			missing.add("encoding-aes-key");
		}
		return missing;
	}

	@Override
	public String toString() {
		return "WeComBotProperties[timestampWindow=" + this.timestampWindow + ", dedupeTtl=" + this.dedupeTtl
				+ ", streamTtl=" + this.streamTtl + ", streamDeadline=" + this.streamDeadline + ", credentials "
				+ (missing().isEmpty() ? "set" : "missing " + missing()) + "]";
	}

}
