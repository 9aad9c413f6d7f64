package io.chatrelay.client.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import io.chatrelay.api.ChatService;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.SslConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.model.FrameworkModel;

/**
 * One Triple provider and one consumer in this JVM, each in a {@link FrameworkModel} of
 * its own (DESIGN.md §7: else the consumer would call the provider in-JVM), talking over
 * a real socket on 127.0.0.1 with the nodes' serialization. The consumer calls the
 * provider by direct URL: no registry.
 */
final class TripleLoopback implements AutoCloseable {

	private final FrameworkModel providerFramework = new FrameworkModel();

	private final FrameworkModel consumerFramework = new FrameworkModel();

	private final DubboBootstrap provider;

	private final DubboBootstrap consumer;

	private final ReferenceConfig<ChatService> reference;

	private final int port;

	private final RecordingRelay relay;

	private TripleLoopback(ChatService service, Map<String, String> referenceParameters, Relay relay)
			throws IOException {
		this.port = freePort();
		ProtocolConfig protocol = new ProtocolConfig("tri", this.port);
		protocol.setHost("127.0.0.1");
		protocol.setSerialization("hessian2");
		// Dubbo's default 200 threads, no queue, refuse calls when thousands arrive at
		// once
		// on two busy cores; this pair is about the connection, not the pool.
		protocol.setThreads(Integer.getInteger("it.provider.threads", 2000));
		ServiceConfig<ChatService> exported = new ServiceConfig<>();
		exported.setInterface(ChatService.class);
		exported.setRef(service);
		exported.setTimeout(120_000);
		exported.setRetries(0);
		DubboBootstrap providerBootstrap = DubboBootstrap.newInstance(this.providerFramework);
		String tls = System.getProperty("it.tls.dir");
		if (tls != null) {
			SslConfig ssl = new SslConfig();
			ssl.setServerKeyCertChainPath(Path.of(tls, "provider.pem").toUri().toString());
			ssl.setServerPrivateKeyPath(Path.of(tls, "provider.key").toUri().toString());
			ssl.setServerTrustCertCollectionPath(Path.of(tls, "ca.pem").toUri().toString());
			providerBootstrap.ssl(ssl);
		}
		this.provider = providerBootstrap.application(application("it-provider"))
			.registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
			.protocol(protocol)
			.service(exported)
			.start();
		this.reference = new ReferenceConfig<>();
		this.reference.setInterface(ChatService.class);
		this.relay = (relay != Relay.NONE) ? new RecordingRelay(this.port, relay == Relay.RECORDING) : null;
		this.reference.setUrl("tri://127.0.0.1:" + ((this.relay != null) ? this.relay.port() : this.port));
		this.reference.setTimeout(120_000);
		this.reference.setRetries(0);
		this.reference.setCheck(false);
		this.reference.setParameters(Map.copyOf(referenceParameters));
		ProtocolConfig consumerProtocol = new ProtocolConfig("tri");
		consumerProtocol.setSerialization("hessian2");
		DubboBootstrap consumerBootstrap = DubboBootstrap.newInstance(this.consumerFramework);
		if (tls != null) {
			SslConfig ssl = new SslConfig();
			ssl.setClientKeyCertChainPath(Path.of(tls, "consumer.pem").toUri().toString());
			ssl.setClientPrivateKeyPath(Path.of(tls, "consumer.key").toUri().toString());
			ssl.setClientTrustCertCollectionPath(Path.of(tls, "ca.pem").toUri().toString());
			consumerBootstrap.ssl(ssl);
		}
		this.consumer = consumerBootstrap.application(application("it-consumer"))
			.registry(new RegistryConfig(RegistryConfig.NO_AVAILABLE))
			.protocol(consumerProtocol)
			.reference(this.reference)
			.start();
	}

	static TripleLoopback start(ChatService service) throws IOException {
		return new TripleLoopback(service, Map.of(), Relay.NONE);
	}

	/**
	 * With a {@link RecordingRelay} between consumer and provider.
	 * @param service the provider's implementation
	 * @param referenceParameters more parameters of the consumer's reference
	 * @param relay whether the relay also records the bytes (plaintext only)
	 * @return the pair
	 * @throws IOException if no port is free
	 */
	static TripleLoopback startRelayed(ChatService service, Map<String, String> referenceParameters, Relay relay)
			throws IOException {
		return new TripleLoopback(service, referenceParameters, relay);
	}

	RecordingRelay relay() {
		return this.relay;
	}

	static TripleLoopback start(ChatService service, Map<String, String> referenceParameters) throws IOException {
		return new TripleLoopback(service, referenceParameters, Relay.NONE);
	}

	/** Whether a relay sits between consumer and provider, and whether it records. */
	enum Relay {

		NONE, CUTTING, RECORDING

	}

	ChatService chatService() {
		return this.reference.get();
	}

	int port() {
		return this.port;
	}

	FrameworkModel providerFramework() {
		return this.providerFramework;
	}

	FrameworkModel consumerFramework() {
		return this.consumerFramework;
	}

	@Override
	public void close() {
		try {
			this.consumer.stop();
		}
		finally {
			try {
				this.provider.stop();
			}
			finally {
				this.consumerFramework.destroy();
				this.providerFramework.destroy();
			}
		}
	}

	private static ApplicationConfig application(String name) {
		ApplicationConfig application = new ApplicationConfig(name);
		application.setQosEnable(false);
		return application;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
