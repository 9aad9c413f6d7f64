package io.chatrelay.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redis URLs in deployment files. A client's Redis user and password are settings of
 * their own ({@code chat.client.redis.username}, {@code .password}, from a secret); a
 * {@code user:password@} in a URL would be a secret inside a value that gets logged.
 */
final class RedisUrls {

	/** A redis:// or rediss:// URL with user-info, which may hide a password. */
	private static final Pattern WITH_USER_INFO = Pattern.compile("rediss?://[^/\\s@\"']*@[^\\s\"']*");

	/** A URL the clients may be given: scheme, host, port, database, nothing else. */
	private static final Pattern PLAIN = Pattern.compile("rediss?://[A-Za-z0-9.${}_:?-]+(/\\d+)?");

	private RedisUrls() {
	}

	/**
	 * The Redis URLs in a text that carry user-info.
	 * @param text a value or a file
	 * @return those URLs, empty when there is none
	 */
	static List<String> withCredentials(String text) {
		List<String> found = new ArrayList<>();
		Matcher matcher = WITH_USER_INFO.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group());
		}
		return found;
	}

	/**
	 * Whether a value is a Redis URL without credentials: {@code redis://host:port[/db]}.
	 * @param value the value
	 * @return whether it is one
	 */
	static boolean isPlain(String value) {
		return value != null && PLAIN.matcher(value).matches();
	}

}
