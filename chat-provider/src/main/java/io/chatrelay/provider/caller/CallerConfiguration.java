package io.chatrelay.provider.caller;

import java.nio.file.Path;

import org.apache.dubbo.config.SslConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The caller room's wiring: Dubbo's TLS settings from {@link TlsProperties} (Dubbo picks
 * up an {@link SslConfig} bean; with a trust collection it requires a client certificate
 * and closes any connection that starts without TLS), and the gate.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ TlsProperties.class, TenantProperties.class })
class CallerConfiguration {

	private static final Logger log = LoggerFactory.getLogger(CallerConfiguration.class);

	@Bean
	CallerGate callerGate(TlsProperties tls, TenantProperties tenants) {
		if (tls.enabled()) {
			log.info("Triple port: mutual TLS, client certificates issued by {}", tls.trust());
		}
		else {
			log.warn("chat.provider.tls.enabled=false: ChatService accepts calls without TLS, from any process"
					+ " that reaches the Triple port, for any tenant the caller claims");
		}
		return new CallerGate(tls.enabled(), new TenantPolicy(tenants));
	}

	@Bean
	@ConditionalOnProperty(prefix = "chat.provider.tls", name = "enabled", matchIfMissing = true)
	SslConfig dubboSslConfig(TlsProperties tls) {
		SslConfig ssl = new SslConfig();
		ssl.setServerKeyCertChainPath(location(tls.cert()));
		ssl.setServerPrivateKeyPath(location(tls.key()));
		ssl.setServerTrustCertCollectionPath(location(tls.trust()));
		ssl.setServerKeyPassword(tls.keyPassword());
		return ssl;
	}

	private static String location(Path file) {
		return file.toAbsolutePath().toUri().toString();
	}

}
