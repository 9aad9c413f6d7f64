package io.chatrelay.client.system;

import java.nio.file.Path;

import org.apache.dubbo.config.SslConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Dubbo's client-side TLS from {@link TlsProperties}: Dubbo picks up an {@link SslConfig}
 * bean and then opens every Triple connection with TLS, presenting the client certificate
 * and checking the provider's against the trust collection (no host name check: providers
 * come and go on registry addresses; the CA is what vouches for them).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TlsProperties.class)
class TlsConfiguration {

	private static final Logger log = LoggerFactory.getLogger(TlsConfiguration.class);

	@Bean
	@ConditionalOnProperty(prefix = "chat.client.tls", name = "enabled", matchIfMissing = true)
	SslConfig dubboSslConfig(TlsProperties tls) {
		log.info("Calls to providers: mutual TLS, provider certificates issued by {}", tls.trust());
		SslConfig ssl = new SslConfig();
		ssl.setClientKeyCertChainPath(location(tls.cert()));
		ssl.setClientPrivateKeyPath(location(tls.key()));
		ssl.setClientTrustCertCollectionPath(location(tls.trust()));
		ssl.setClientKeyPassword(tls.keyPassword());
		return ssl;
	}

	@Bean
	@ConditionalOnProperty(prefix = "chat.client.tls", name = "enabled", havingValue = "false")
	InsecureMode insecureMode() {
		log.warn("chat.client.tls.enabled=false: conversations go to providers in plaintext, to any process that"
				+ " registers itself as a ChatService provider");
		return new InsecureMode();
	}

	private static String location(Path file) {
		return file.toAbsolutePath().toUri().toString();
	}

	/** Present while TLS is off, so the choice shows in the context and the log. */
	static final class InsecureMode {

	}

}
