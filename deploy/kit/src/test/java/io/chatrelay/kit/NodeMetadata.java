package io.chatrelay.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a node's runtime classpath says about its properties: the union of every
 * {@code META-INF/spring-configuration-metadata.json} (and
 * {@code additional-spring-configuration-metadata.json}) in its repackaged jar, its own
 * and each library's (Spring Boot's for {@code server.*}, {@code management.*},
 * {@code spring.*}, {@code logging.*}; Dubbo's for {@code dubbo.*}; resilience4j's), and
 * its own {@code application.yml}.
 *
 * <p>
 * The jar is the node's {@code exec} artifact, a test dependency of this module: it is
 * found on the test classpath by its {@code BOOT-INF/classes/application.yml}.
 */
final class NodeMetadata {

	private static final String OWN = "BOOT-INF/classes/";

	private static final String[] METADATA = { "META-INF/spring-configuration-metadata.json",
			"META-INF/additional-spring-configuration-metadata.json" };

	private static final Map<Node, NodeMetadata> LOADED = Collections.synchronizedMap(new EnumMap<>(Node.class));

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Node node;

	private final Path jar;

	private final Map<String, String> properties;

	private final List<String> sources;

	private final String applicationYml;

	private NodeMetadata(Node node, Path jar, Map<String, String> properties, List<String> sources,
			String applicationYml) {
		this.node = node;
		this.jar = jar;
		this.properties = Collections.unmodifiableMap(properties);
		this.sources = List.copyOf(sources);
		this.applicationYml = applicationYml;
	}

	static NodeMetadata of(Node node) {
		return LOADED.computeIfAbsent(node, NodeMetadata::load);
	}

	Node node() {
		return this.node;
	}

	Path jar() {
		return this.jar;
	}

	/**
	 * Every property name the metadata declares, with its type (may be null).
	 * @return name to type
	 */
	Map<String, String> properties() {
		return this.properties;
	}

	/**
	 * The jars (and the node's own classes) that contributed metadata.
	 * @return their names
	 */
	List<String> sources() {
		return this.sources;
	}

	/**
	 * The node's own {@code application.yml}, as packaged.
	 * @return its text
	 */
	String applicationYml() {
		return this.applicationYml;
	}

	/**
	 * The node's own {@code application.yml}, flattened.
	 * @return property name to value, placeholders unresolved
	 */
	Map<String, String> applicationProperties() {
		return ConfigFiles.properties("application.yml", this.applicationYml);
	}

	private static NodeMetadata load(Node node) {
		Path jar = locate(node);
		Map<String, String> properties = new LinkedHashMap<>();
		List<String> sources = new ArrayList<>();
		String applicationYml = null;
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				ZipEntry entry = entries.nextElement();
				String name = entry.getName();
				if (name.equals(OWN + "application.yml")) {
					try (InputStream in = zip.getInputStream(entry)) {
						applicationYml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
					}
				}
				else if (isOwnMetadata(name)) {
					try (InputStream in = zip.getInputStream(entry)) {
						read(in, properties);
					}
					sources.add(node + " " + name);
				}
				else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
					try (ZipInputStream library = new ZipInputStream(zip.getInputStream(entry))) {
						readLibrary(library, name.substring("BOOT-INF/lib/".length()), properties, sources);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Reading " + jar, ex);
		}
		if (applicationYml == null) {
			throw new IllegalStateException(jar + " has no " + OWN + "application.yml");
		}
		return new NodeMetadata(node, jar, properties, sources, applicationYml);
	}

	/**
	 * The node's own metadata: Spring Boot's repackager moves {@code META-INF/} of the
	 * node's classes to the jar's root.
	 */
	private static boolean isOwnMetadata(String name) {
		for (String metadata : METADATA) {
			if (name.equals(metadata) || name.equals(OWN + metadata)) {
				return true;
			}
		}
		return false;
	}

	private static void readLibrary(ZipInputStream library, String name, Map<String, String> properties,
			List<String> sources) throws IOException {
		for (ZipEntry entry = library.getNextEntry(); entry != null; entry = library.getNextEntry()) {
			if (entry.getName().equals(METADATA[0]) || entry.getName().equals(METADATA[1])) {
				read(library, properties);
				sources.add(name);
			}
		}
	}

	private static void read(InputStream in, Map<String, String> properties) throws IOException {
		JsonNode metadata = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		for (JsonNode property : metadata.path("properties")) {
			String type = property.hasNonNull("type") ? property.get("type").asText() : null;
			properties.merge(property.get("name").asText(), (type != null) ? type : "",
					(old, added) -> old.isEmpty() ? added : old);
		}
	}

	/**
	 * The node's repackaged jar on the test classpath.
	 */
	private static Path locate(Node node) {
		try {
			Enumeration<URL> candidates = NodeMetadata.class.getClassLoader().getResources(OWN + "application.yml");
			List<String> seen = new ArrayList<>();
			while (candidates.hasMoreElements()) {
				URL url = candidates.nextElement();
				String spec = url.toString();
				seen.add(spec);
				int bang = spec.indexOf("!/");
				if (spec.startsWith("jar:file:") && bang > 0) {
					Path jar = Path.of(new java.net.URI(spec.substring("jar:".length(), bang)));
					String file = jar.getFileName().toString();
					if (file.startsWith(node.artifact() + "-") && file.endsWith("-exec.jar")) {
						return jar;
					}
				}
			}
			throw new IllegalStateException("No " + node + " exec jar on the test classpath (found " + seen
					+ "); build it first: ./mvnw -pl chat-client,chat-provider install -DskipTests");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
