package io.chatrelay.client.system;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Mutual TLS towards the providers ({@code chat.client.tls.*}): PEM files, read when a
 * connection opens. The client trusts only providers whose certificate {@code trust}
 * issued, so a process that registers itself as a provider without such a certificate
 * never receives a conversation; its own certificate names its tenant
 * ({@code urn:chatrelay:tenant:<id>}).
 *
 * @param enabled {@code false} is the explicit insecure mode (plaintext to providers; a
 * WARN at startup says so)
 * @param cert this client's certificate chain (PEM), leaf first
 * @param key its private key (PEM, PKCS#8)
 * @param trust the CA certificates (PEM) that issue provider certificates
 * @param keyPassword the key's password when the PEM is encrypted (from the environment,
 * never logged)
 */
@ConfigurationProperties("chat.client.tls")
@Validated
record TlsProperties(@DefaultValue("true") boolean enabled, Path cert, Path key, Path trust, String keyPassword) {

	TlsProperties {
		if (enabled) {
			requireReadable("cert", cert);
			requireReadable("key", key);
			requireReadable("trust", trust);
		}
	}

	private static void requireReadable(String name, Path file) {
		if (file == null) {
			throw new IllegalArgumentException("chat.client.tls." + name
					+ " is required while chat.client.tls.enabled=true (set chat.client.tls.enabled=false"
					+ " only where no untrusted process can register as a provider)");
		}
		if (!Files.isReadable(file)) {
			throw new IllegalArgumentException("chat.client.tls." + name + " " + file + " is not a readable file");
		}
	}

}
