package io.chatrelay.client.intake;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The body limit of each platform's callback path, {@code /callback/<channel>}: each
 * channel's own {@code max-body-bytes}, sized to that platform's largest legitimate
 * message (docs/configuration.md). A {@code /callback/} path that no channel serves (it
 * answers 404) gets the smallest of them.
 */
final class CallbackBodyLimits {

	private static final String PREFIX = "/callback/";

	private final Map<String, Integer> byChannel;

	private final int fallback;

	CallbackBodyLimits(List<? extends ChannelSettings> channels) {
		if (channels.isEmpty()) {
			throw new IllegalArgumentException("no platform channel to take body limits from");
		}
		this.byChannel = channels.stream()
			.collect(Collectors.toUnmodifiableMap(ChannelSettings::channel, ChannelSettings::maxBodyBytes));
		this.fallback = channels.stream().mapToInt(ChannelSettings::maxBodyBytes).min().getAsInt();
	}

	/**
	 * The limit for a request.
	 * @param request a request to a {@code /callback/*} path
	 * @return the largest body accepted
	 */
	int limit(HttpServletRequest request) {
		return limit(request.getRequestURI().substring(request.getContextPath().length()));
	}

	/**
	 * The limit for a path.
	 * @param path the path below the context path, such as {@code /callback/dingtalk}
	 * @return the largest body accepted
	 */
	int limit(String path) {
		if (!path.startsWith(PREFIX)) {
			return this.fallback;
		}
		String rest = path.substring(PREFIX.length());
		int end = rest.indexOf('/');
		String channel = (end < 0) ? rest : rest.substring(0, end);
		return this.byChannel.getOrDefault(channel, this.fallback);
	}

	/**
	 * The limits by channel, for the startup log.
	 * @return channel → bytes
	 */
	Map<String, Integer> byChannel() {
		return this.byChannel;
	}

}
