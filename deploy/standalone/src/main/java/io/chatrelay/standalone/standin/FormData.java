package io.chatrelay.standalone.standin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code application/x-www-form-urlencoded} text: a URI query string or a form
 * body. The first value of a repeated name wins.
 */
final class FormData {

	private FormData() {
	}

	/**
	 * Parse {@code a=1&b=two}.
	 * @param encoded the raw (still encoded) text, or {@code null}
	 * @return name to decoded value, in order; a name without {@code =} maps to
	 * {@code ""}
	 */
	static Map<String, String> parse(String encoded) {
		Map<String, String> values = new LinkedHashMap<>();
		if (encoded == null || encoded.isBlank()) {
			return values;
		}
		for (String pair : encoded.trim().split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals < 0) ? pair : pair.substring(0, equals));
			String value = (equals < 0) ? "" : decode(pair.substring(equals + 1));
			values.putIfAbsent(name, value);
		}
		return values;
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

}
