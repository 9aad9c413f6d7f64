package io.chatrelay.kit;

import java.util.Locale;
import java.util.Optional;

/**
 * The two Spring Boot applications the deployment files configure.
 */
enum Node {

	CLIENT("chat-client"), PROVIDER("chat-provider");

	private final String artifact;

	Node(String artifact) {
		this.artifact = artifact;
	}

	String artifact() {
		return this.artifact;
	}

	/**
	 * The node a container or compose service runs, from its image (or build) name; empty
	 * for anything else (Nacos, Redis, the routing seed), whose settings are not Spring
	 * properties.
	 * @param image an image reference, a build context or a service name
	 * @return the node, if it is one
	 */
	static Optional<Node> of(String image) {
		if (image == null) {
			return Optional.empty();
		}
		String name = image.toLowerCase(Locale.ROOT);
		for (Node node : values()) {
			if (name.contains(node.artifact)) {
				return Optional.of(node);
			}
		}
		return Optional.empty();
	}

	@Override
	public String toString() {
		return this.artifact;
	}

}
