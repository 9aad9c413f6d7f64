package io.chatrelay.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a setting in a deployment file names a property the node has, so that a
 * renamed or misspelt property fails the build instead of being ignored at run time.
 *
 * <p>
 * Known properties are the node's configuration metadata ({@link NodeMetadata}). Names
 * are compared the way the nodes read them:
 * <ul>
 * <li>property names ({@code application.yaml} keys, {@code --name=value} arguments):
 * Spring Boot's canonical form, element by element: lower case, only letters and digits
 * ({@code chat.client.tenantId} and {@code chat.client.tenant-id} are one property);</li>
 * <li>environment variables: Spring Boot's relaxed binding, lower case with {@code _} for
 * {@code .}, and a dash either dropped ({@code CHAT_CLIENT_TENANTID}) or written as
 * {@code _} ({@code CHAT_CLIENT_TENANT_ID});</li>
 * <li>{@code DUBBO_*} variables: read by Dubbo 3.3.5 itself, not by Spring
 * ({@code EnvironmentConfiguration}): dots as {@code _}, a dash as {@code _} or kept; a
 * dropped dash is not understood ({@code DUBBO_REGISTRY_USEASCONFIGCENTER} is ignored,
 * {@code DUBBO_REGISTRY_USE_AS_CONFIG_CENTER} works: checked against a running
 * provider);</li>
 * <li>a property whose type is a {@code Map}, {@code List}, {@code Set} or array
 * ({@code logging.level}, {@code chat.provider.tenants}) takes any name below it.</li>
 * </ul>
 * Environment variables that the node's own {@code application.yml} names as placeholders
 * ({@code ${NACOS_ADDR:...}}) are accepted as they are.
 */
final class PropertyNames {

	/**
	 * Environment variables a node's container may carry that are not Spring properties
	 * and are not checked. The containers of Nacos, Redis and the routing seed (their
	 * {@code NACOS_*}, {@code MODE}, ...) are not checked at all: only chat-client and
	 * chat-provider containers are ({@link Node#of}).
	 */
	static final Set<String> NOT_PROPERTIES = Set.of(
			// Read by the JVM itself: flags, heap size, user.home.
			"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
			// Read by an image's start script, if it has one, for the java command line.
			"JAVA_OPTS",
			// The process's time zone and locale.
			"TZ", "LANG", "LC_ALL",
			// The shell's own.
			"HOME", "PATH", "USER",
			// Spring Boot reads it as a whole JSON document of properties; its content is
			// not checked here.
			"SPRING_APPLICATION_JSON");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

	private static final Map<Node, PropertyNames> BY_NODE = Collections.synchronizedMap(new EnumMap<>(Node.class));

	private final String node;

	private final List<Known> known;

	private final Set<String> placeholders;

	/**
	 * A checker over the given metadata.
	 * @param node the node's name, for messages
	 * @param properties property name to type, as in the metadata
	 * @param applicationYml the node's own application.yml, for its placeholders
	 */
	PropertyNames(String node, Map<String, String> properties, String applicationYml) {
		this.node = node;
		this.known = properties.entrySet().stream().map((entry) -> Known.of(entry.getKey(), entry.getValue())).toList();
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = PLACEHOLDER.matcher(applicationYml);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		this.placeholders = Collections.unmodifiableSet(names);
	}

	static PropertyNames of(Node node) {
		return BY_NODE.computeIfAbsent(node, (each) -> {
			NodeMetadata metadata = NodeMetadata.of(each);
			return new PropertyNames(each.toString(), metadata.properties(), metadata.applicationYml());
		});
	}

	/**
	 * The environment variables the node's application.yml names as placeholders.
	 * @return their names
	 */
	Set<String> placeholders() {
		return this.placeholders;
	}

	/**
	 * Checks an environment variable of a node's container.
	 * @param name the variable
	 * @return what is wrong with it, or empty when the node reads it
	 */
	Optional<String> checkEnvironmentVariable(String name) {
		if (NOT_PROPERTIES.contains(name) || this.placeholders.contains(name)) {
			return Optional.empty();
		}
		List<String> given = elements(name.toLowerCase(Locale.ROOT).replace('-', '_'), "_");
		boolean dubbo = name.toUpperCase(Locale.ROOT).startsWith("DUBBO_");
		for (Known property : this.known) {
			if (property.matches(given, property.legacy) || (!dubbo && property.matches(given, property.canonical))) {
				return Optional.empty();
			}
		}
		if (dubbo) {
			for (Known property : this.known) {
				if (property.matches(given, property.canonical)) {
					return Optional
						.of(name + ": Dubbo reads DUBBO_* variables itself and does not drop dashes, so " + this.node
								+ " ignores it; write " + property.environmentVariable() + " for " + property.name);
				}
			}
		}
		return Optional
			.of(name + ": " + String.join(".", given) + " is not a property of " + this.node + nearest(given, true));
	}

	/**
	 * Checks a property name of a configuration file or a {@code --name=value} argument.
	 * @param name the property
	 * @return what is wrong with it, or empty when the node has it
	 */
	Optional<String> checkProperty(String name) {
		List<String> given = canonical(name);
		for (Known property : this.known) {
			if (property.matches(given, property.canonical)) {
				return Optional.empty();
			}
		}
		return Optional.of(name + ": not a property of " + this.node + nearest(given, false));
	}

	private String nearest(List<String> elements, boolean environment) {
		String given = String.join("", elements);
		Known best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (Known property : this.known) {
			int distance = distance(given, String.join("", property.canonical));
			if (distance < bestDistance) {
				best = property;
				bestDistance = distance;
			}
		}
		if (best != null && bestDistance <= Math.max(2, given.length() / 6)) {
			return "; did you mean " + best.name + (environment ? " (" + best.environmentVariable() + ")" : "") + "?";
		}
		return siblings(elements);
	}

	/** The properties beside the one named, for a name too far from any. */
	private String siblings(List<String> elements) {
		for (int size = elements.size() - 1; size > 1; size--) {
			int parent = size;
			List<String> prefix = elements.subList(0, parent);
			List<String> beside = this.known.stream()
				.filter((property) -> property.canonical.size() > parent
						&& property.canonical.subList(0, parent).equals(prefix))
				.map((property) -> property.name)
				.sorted()
				.toList();
			if (!beside.isEmpty()) {
				return "; known under it: " + String.join(", ", beside.subList(0, Math.min(12, beside.size())))
						+ ((beside.size() > 12) ? ", ..." : "");
			}
		}
		return " (no property with a similar name)";
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/** Spring Boot's canonical form, element by element. */
	static List<String> canonical(String name) {
		return elements(name.replace('[', '.').replace("]", ""), "\\.").stream()
			.map((element) -> element.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ""))
			.filter((element) -> !element.isEmpty())
			.toList();
	}

	private static List<String> elements(String name, String separator) {
		return Arrays.stream(name.split(separator)).filter((element) -> !element.isEmpty()).toList();
	}

	/**
	 * A property of the metadata, in the forms names are compared with.
	 */
	private record Known(String name, List<String> canonical, List<String> legacy, boolean open) {

		static Known of(String name, String type) {
			List<String> legacy = new ArrayList<>();
			for (String element : canonicalElementsKeepingDashes(name)) {
				legacy.addAll(elements(element, "-"));
			}
			return new Known(name, PropertyNames.canonical(name), List.copyOf(legacy), isOpen(type));
		}

		private static List<String> canonicalElementsKeepingDashes(String name) {
			return elements(name.replace('[', '.').replace("]", ""), "\\.").stream()
				.map((element) -> element.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", ""))
				.toList();
		}

		private static boolean isOpen(String type) {
			return type != null && (type.startsWith("java.util.Map<") || type.startsWith("java.util.List<")
					|| type.startsWith("java.util.Set<") || type.startsWith("java.util.Collection<")
					|| type.endsWith("[]"));
		}

		boolean matches(List<String> given, List<String> form) {
			if (given.equals(form)) {
				return true;
			}
			return this.open && given.size() > form.size() && given.subList(0, form.size()).equals(form);
		}

		String environmentVariable() {
			return String.join("_", this.legacy).toUpperCase(Locale.ROOT);
		}

	}

}
