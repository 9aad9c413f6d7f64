package io.chatrelay.provider.caller;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Mutual TLS on the Triple port ({@code chat.provider.tls.*}): PEM files, read once at
 * startup. With TLS on, a caller must present a certificate issued by {@code trust}, and
 * that certificate names the only tenant it may call for.
 *
 * @param enabled {@code false} is the explicit insecure mode: no TLS, any process that
 * reaches the port may call for any tenant (a WARN at startup says so)
 * @param cert this provider's certificate chain (PEM), leaf first
 * @param key its private key (PEM, PKCS#8)
 * @param trust the CA certificates (PEM) that issue client certificates
 * @param keyPassword the key's password when the PEM is encrypted (from the environment,
 * never logged)
 */
@ConfigurationProperties("chat.provider.tls")
@Validated
public record TlsProperties(@DefaultValue("true") boolean enabled, Path cert, Path key, Path trust,
		String keyPassword) {

	public TlsProperties {
		if (enabled) {
			requireReadable("cert", cert);
			requireReadable("key", key);
			requireReadable("trust", trust);
		}
	}

	private static void requireReadable(String name, Path file) {
		if (file == null) {
			throw new IllegalArgumentException("chat.provider.tls." + name
					+ " is required while chat.provider.tls.enabled=true (set chat.provider.tls.enabled=false"
					+ " only for a provider no untrusted process can reach)");
		}
		if (!Files.isReadable(file)) {
			throw new IllegalArgumentException("chat.provider.tls." + name + " " + file + " is not a readable file");
		}
	}

}
