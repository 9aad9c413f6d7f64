package io.chatrelay.standalone.launcher;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks secrets before anything is logged: values of {@code --key=value} arguments whose
 * key names a credential, and the user-info part of URLs.
 */
final class Secrets {

	private static final List<String> SECRET_KEY_PARTS = List.of("api-key", "apikey", "secret", "password", "token",
			"access-key", "encoding-aes-key", "encrypt-key");

	private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

	private Secrets() {
	}

	/**
	 * Mask one command-line argument.
	 * @param argument {@code --key=value}, {@code -Dkey=value} or anything else
	 * @return the argument with a secret value replaced by a short hint
	 */
	static String maskArgument(String argument) {
		int equals = argument.indexOf('=');
		if (equals > 0 && isSecretKey(argument.substring(0, equals))) {
			return argument.substring(0, equals + 1) + mask(argument.substring(equals + 1));
		}
		return maskUrl(argument);
	}

	/**
	 * The environment variable Spring Boot binds to a property (dots to underscores, no
	 * dashes, upper case): how a node gets a secret without it showing on its command
	 * line, which every user of the machine can read ({@code ps}).
	 * @param key e.g. {@code chat.provider.model.openai.api-key}
	 * @return e.g. {@code CHAT_PROVIDER_MODEL_OPENAI_APIKEY}
	 */
	static String environmentName(String key) {
		return key.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
	}

	/**
	 * Whether a property carries a secret: by its name, or by a password in a URL
	 * ({@code redis://user:password@host}).
	 * @param key the property
	 * @param value its value
	 * @return {@code true} when it must not go on a command line
	 */
	static boolean isSecret(String key, String value) {
		return isSecretKey(key) || (value != null && URL_USER_INFO.matcher(value).find());
	}

	static boolean isSecretKey(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		return SECRET_KEY_PARTS.stream().anyMatch(lower::contains);
	}

	/**
	 * A hint that identifies a secret without revealing it: its last four characters at
	 * most, and only if it is long enough.
	 * @param secret the secret
	 * @return e.g. {@code ****wxyz}
	 */
	static String mask(String secret) {
		if (secret == null || secret.isEmpty()) {
			return "";
		}
		return (secret.length() >= 16) ? "****" + secret.substring(secret.length() - 4) : "****";
	}

	static String maskUrl(String text) {
		return URL_USER_INFO.matcher(text).replaceAll("****@");
	}

}
