package io.chatrelay.kit;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Spring Boot configuration files as flat property names: {@code application.yaml} (every
 * document, with SnakeYAML, so anchors and merge keys work as in Spring) and
 * {@code application.properties}.
 */
final class ConfigFiles {

	private static final Pattern APPLICATION = Pattern.compile("application(-[\\w.-]+)?\\.(ya?ml|properties)");

	private ConfigFiles() {
	}

	/**
	 * Whether a file name is one Spring Boot reads as configuration from a config
	 * location.
	 * @param fileName a file (or ConfigMap key) name
	 * @return whether it is {@code application[-profile].yaml|yml|properties}
	 */
	static boolean isApplicationConfig(String fileName) {
		return APPLICATION.matcher(fileName).matches();
	}

	/**
	 * A configuration file's properties, flattened: nested keys joined with {@code .},
	 * list items as {@code [i]}.
	 * @param fileName the name (decides YAML or properties)
	 * @param text the content
	 * @return property name to value (as text)
	 */
	static Map<String, String> properties(String fileName, String text) {
		Map<String, String> flat = new LinkedHashMap<>();
		if (fileName.endsWith(".properties")) {
			Properties properties = new Properties();
			try {
				properties.load(new StringReader(text));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			properties.stringPropertyNames().forEach((name) -> flat.put(name, properties.getProperty(name)));
			return flat;
		}
		for (Object document : yaml().loadAll(text)) {
			flatten("", document, flat);
		}
		return flat;
	}

	static Yaml yaml() {
		return new Yaml(new SafeConstructor(new LoaderOptions()));
	}

	private static void flatten(String prefix, Object value, Map<String, String> flat) {
		if (value instanceof Map<?, ?> map) {
			if (map.isEmpty() && !prefix.isEmpty()) {
				flat.put(prefix, "");
			}
			map.forEach(
					(key, child) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, child, flat));
		}
		else if (value instanceof List<?> list) {
			if (list.isEmpty()) {
				flat.put(prefix, "");
			}
			for (int i = 0; i < list.size(); i++) {
				flatten(prefix + "[" + i + "]", list.get(i), flat);
			}
		}
		else if (!prefix.isEmpty()) {
			flat.put(prefix, (value != null) ? String.valueOf(value) : "");
		}
	}

}
