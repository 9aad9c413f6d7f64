package io.chatrelay.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The ports a node listens on by default, from its own {@code application.yml}
 * ({@code src/main/resources}): what its image exposes and its health check and the
 * deployment files use.
 *
 * @param server {@code server.port}: the client's web API and webhooks, the provider's
 * actuator
 * @param management {@code management.server.port}, or the server port when the actuator
 * has no port of its own
 * @param dubbo {@code dubbo.protocol.port}, where the node serves Triple (providers only)
 */
record NodePorts(int server, int management, Optional<Integer> dubbo) {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^:}]+:([^}]*)}");

	static NodePorts of(Node node) {
		try {
			JsonNode yaml = new YAMLMapper().readTree(Repository
				.read(Repository.root().resolve(node.artifact() + "/src/main/resources/application.yml")));
			int server = port(yaml.at("/server/port")).orElseThrow(() -> new AssertionError(node + ": no server.port"));
			int management = port(yaml.at("/management/server/port")).orElse(server);
			return new NodePorts(server, management, port(yaml.at("/dubbo/protocol/port")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every port, once.
	 * @return the ports, sorted
	 */
	Set<Integer> all() {
		Set<Integer> ports = new TreeSet<>();
		ports.add(this.server);
		ports.add(this.management);
		this.dubbo.ifPresent(ports::add);
		return ports;
	}

	private static Optional<Integer> port(JsonNode value) {
		if (value.isMissingNode() || value.isNull()) {
			return Optional.empty();
		}
		String text = value.asText().strip();
		Matcher placeholder = PLACEHOLDER.matcher(text);
		if (placeholder.matches()) {
			text = placeholder.group(1); // the default of ${VARIABLE:default}
		}
		return Optional.of(Integer.parseInt(text));
	}

}
