package io.chatrelay.kit;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable jars the images are made of ({@code <module>-<version>-exec.jar}, test
 * dependencies of this module) hold no private key, keystore or credential, their own or
 * a library's, and are laid out for the images' layer extraction.
 */
class NodeJarTest {

	private static final Pattern KEY_FILE = Pattern.compile("(?i).*\\.(pem|key|p12|pfx|jks|jceks|bks|keystore)$");

	private static final Pattern CONFIG_FILE = Pattern
		.compile("BOOT-INF/classes/(config/)?application[\\w.-]*\\.(ya?ml|properties)");

	/**
	 * A property whose last word names a secret: api-key, app-secret, password, apiKey,
	 * token.
	 */
	private static final Pattern SECRET_PROPERTY = Pattern.compile(
			"(.*[.\\-_])?(?i:key|secret|password|passwd|token|credentials?|passphrase)|.*[a-z](Key|Secret|Password|Token|Credentials?)");

	private static final Pattern PLACEHOLDER_WITHOUT_DEFAULT = Pattern
		.compile("\\$\\{[\\w.-]+(:(\\$\\{[\\w.-]+:?})?)?}");

	private static final Pattern SECRET_TEXT = Pattern
		.compile("(?s).*(-----BEGIN [A-Z ]*PRIVATE KEY-----|\\bsk-[A-Za-z0-9_-]{16,}|://[^/\\s:@$]+:[^/\\s@$]+@).*");

	@ParameterizedTest
	@EnumSource(Node.class)
	void holdsNoKeyOrKeystoreInItselfOrInALibrary(Node node) throws IOException {
		List<String> found = new ArrayList<>();
		entries(node, (name) -> {
			if (KEY_FILE.matcher(name).matches()) {
				found.add(name);
			}
		});
		assertThat(found).as(node + ": key and keystore files").isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void setsNoCredentialInItsConfigurationFiles(Node node) throws IOException {
		List<String> problems = new ArrayList<>();
		List<String> configFiles = new ArrayList<>();
		try (ZipFile jar = new ZipFile(jar(node).toFile())) {
			for (ZipEntry entry : jar.stream().toList()) {
				String name = entry.getName();
				if (CONFIG_FILE.matcher(name).matches()) {
					configFiles.add(name);
					String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
					properties(name, text).forEach((key, value) -> {
						if (SECRET_PROPERTY.matcher(key).matches() && !value.isEmpty()
								&& !PLACEHOLDER_WITHOUT_DEFAULT.matcher(value).matches()) {
							problems.add(name + ": " + key + " has a value other than an empty placeholder");
						}
					});
				}
				if (name.startsWith("BOOT-INF/classes/") && !name.endsWith(".class") && !entry.isDirectory()) {
					String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
					if (SECRET_TEXT.matcher(text).matches()) {
						problems.add(name + ": a private key, an API key or a URL with a password");
					}
				}
			}
		}
		assertThat(configFiles).as(node + ": configuration files").contains("BOOT-INF/classes/application.yml");
		assertThat(problems).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void isLaidOutForTheImagesLayerExtraction(Node node) throws IOException {
		try (ZipFile jar = new ZipFile(jar(node).toFile())) {
			ZipEntry index = jar.getEntry("BOOT-INF/layers.idx");
			assertThat(index).as("layers.idx").isNotNull();
			String layers = new String(jar.getInputStream(index).readAllBytes(), StandardCharsets.UTF_8);
			assertThat(layers).as("the layers the Dockerfile copies, in this order")
				.containsSubsequence("- \"dependencies\":", "- \"spring-boot-loader\":", "- \"snapshot-dependencies\":",
						"- \"application\":");
			assertThat(jar.stream().map(ZipEntry::getName))
				.as("-Djarmode=tools needs the tools jar inside the executable jar")
				.anyMatch((name) -> name.matches("BOOT-INF/lib/spring-boot-jarmode-tools-[\\d.]+\\.jar"))
				.contains("org/springframework/boot/loader/launch/JarLauncher.class");
		}
	}

	@Test
	void recognisesSecretsAndPlaceholders() {
		assertThat(SECRET_PROPERTY.matcher("chat.provider.model.openai.api-key").matches()).isTrue();
		assertThat(SECRET_PROPERTY.matcher("chat.provider.management.password").matches()).isTrue();
		assertThat(SECRET_PROPERTY.matcher("chat.client.channel.wecom.secret").matches()).isTrue();
		assertThat(SECRET_PROPERTY.matcher("chat.client.security.apiKeys.bootstrapAdminKey").matches()).isTrue();
		assertThat(SECRET_PROPERTY.matcher("chat.provider.model.openai.base-url").matches()).isFalse();
		assertThat(SECRET_PROPERTY.matcher("chat.provider.model.openai.first-token-timeout").matches()).isFalse();
		assertThat(SECRET_PROPERTY.matcher("management.endpoint.tokenusage.access").matches()).isFalse();
		assertThat(PLACEHOLDER_WITHOUT_DEFAULT.matcher("${OPENAI_API_KEY:}").matches()).isTrue();
		assertThat(PLACEHOLDER_WITHOUT_DEFAULT.matcher("${OPENAI_API_KEY}").matches()).isTrue();
		assertThat(PLACEHOLDER_WITHOUT_DEFAULT.matcher("${KEY:${OTHER_KEY:}}").matches()).isTrue();
		assertThat(PLACEHOLDER_WITHOUT_DEFAULT.matcher("${OPENAI_API_KEY:sk-live}").matches()).isFalse();
		assertThat(SECRET_TEXT.matcher("url: redis://app:hunter2@redis:6379").matches()).isTrue();
		assertThat(SECRET_TEXT.matcher("url: redis://:${REDIS_PASSWORD}@redis:6379").matches()).isFalse();
		assertThat(SECRET_TEXT.matcher("-----BEGIN EC PRIVATE KEY-----\nMHc").matches()).isTrue();
	}

	/**
	 * The node's repackaged jar: a test dependency with the {@code exec} classifier.
	 */
	static Path jar(Node node) {
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			String file = Path.of(entry).getFileName().toString();
			if (file.startsWith(node.artifact() + "-") && file.endsWith("-exec.jar")) {
				return Path.of(entry);
			}
		}
		throw new IllegalStateException("No " + node.artifact() + " exec jar on the test classpath; build it first: "
				+ "./mvnw -pl " + node.artifact() + " -am install -DskipTests");
	}

	/**
	 * Every entry of the jar and of each library jar inside it ({@code lib!entry}).
	 */
	private static void entries(Node node, Consumer<String> visitor) throws IOException {
		try (ZipFile jar = new ZipFile(jar(node).toFile())) {
			for (ZipEntry entry : jar.stream().toList()) {
				visitor.accept(entry.getName());
				if (entry.getName().endsWith(".jar")) {
					try (ZipInputStream library = new ZipInputStream(jar.getInputStream(entry))) {
						for (ZipEntry inner = library.getNextEntry(); inner != null; inner = library.getNextEntry()) {
							visitor.accept(entry.getName() + "!" + inner.getName());
						}
					}
				}
			}
		}
	}

	/**
	 * A configuration file's values by flat name (every YAML document).
	 */
	private static Map<String, String> properties(String name, String text) throws IOException {
		Map<String, String> properties = new LinkedHashMap<>();
		if (name.endsWith(".properties")) {
			Properties loaded = new Properties();
			loaded.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
			loaded.forEach((key, value) -> properties.put(key.toString(), value.toString().strip()));
			return properties;
		}
		YAMLMapper yaml = new YAMLMapper();
		try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
				MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(in)) {
			while (documents.hasNext()) {
				flatten("", documents.next(), properties);
			}
		}
		return properties;
	}

	private static void flatten(String prefix, JsonNode node, Map<String, String> properties) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(),
						properties);
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				flatten(prefix + "[" + i + "]", node.get(i), properties);
			}
		}
		else {
			properties.put(prefix, node.isNull() ? "" : node.asText().strip());
		}
	}

}
