package io.chatrelay.standalone.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A node's TLS files: its certificate, its private key and the CA it trusts, all PEM.
 *
 * @param cert the node's certificate
 * @param key its private key (PKCS#8, not encrypted: a throwaway key in a private work
 * directory)
 * @param trust the CA certificate the node checks its peers against
 */
public record NodeTls(Path cert, Path key, Path trust) {

	public NodeTls {
		Objects.requireNonNull(cert, "cert");
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(trust, "trust");
	}

	/**
	 * The provider properties that use these files.
	 * @return {@code chat.provider.tls.*}
	 */
	public Map<String, String> providerProperties() {
		return properties("chat.provider.tls.");
	}

	/**
	 * The client properties that use these files.
	 * @return {@code chat.client.tls.*}
	 */
	public Map<String, String> clientProperties() {
		return properties("chat.client.tls.");
	}

	private Map<String, String> properties(String prefix) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(prefix + "cert", this.cert.toAbsolutePath().toString());
		properties.put(prefix + "key", this.key.toAbsolutePath().toString());
		properties.put(prefix + "trust", this.trust.toAbsolutePath().toString());
		return properties;
	}

}
