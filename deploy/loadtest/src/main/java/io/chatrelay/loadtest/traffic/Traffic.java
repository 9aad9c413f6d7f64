package io.chatrelay.loadtest.traffic;

import java.util.Locale;

/**
 * The kinds of traffic the generator sends.
 */
public enum Traffic {

	/**
	 * Signed DingTalk robot callbacks ({@code POST /callback/dingtalk}): acknowledged at
	 * once, answered later through the durable inbox to the message's session webhook
	 * (the platform stand-in).
	 */
	DINGTALK,

	/**
	 * Encrypted, signed Feishu {@code im.message.receive_v1} events
	 * ({@code POST /callback/feishu}): acknowledged at once, answered later through the
	 * durable inbox with the reply API (the platform stand-in).
	 */
	FEISHU,

	/**
	 * Encrypted, signed WeCom self-built app message pushes
	 * ({@code POST /callback/wecom}): acknowledged at once, answered later through the
	 * durable inbox with {@code message/send} (the platform stand-in, which finds the
	 * message by the id the answer repeats).
	 */
	WECOM,

	/** The web API, unary ({@code POST /api/v1/chat}): the answer is the response. */
	WEB,

	/**
	 * The web API, streamed ({@code POST /api/v1/chat/stream}): the answer is complete
	 * with the {@code done} event.
	 */
	WEB_STREAM;

	/**
	 * Whether the platform acknowledges first and the reply comes later through the
	 * platform's API (the durable inbox), rather than as the response.
	 * @return {@code true} for the platform callbacks
	 */
	public boolean acknowledged() {
		return this == DINGTALK || this == FEISHU || this == WECOM;
	}

	/**
	 * The name on the command line and in reports.
	 * @return e.g. {@code web-stream}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Read a label.
	 * @param label e.g. {@code dingtalk}
	 * @return the traffic
	 */
	public static Traffic of(String label) {
		return valueOf(label.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
	}

}
