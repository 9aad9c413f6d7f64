package io.chatrelay.provider.caller;

import java.lang.reflect.Field;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/**
 * The client certificate of the connection a Triple request arrived on, and the tenant it
 * names.
 *
 * <p>
 * Dubbo 3.3.5 verifies the certificate during the TLS handshake but hands the service
 * neither the session nor the certificate: its HTTP request object keeps the Netty stream
 * channel in a private field. We read that field (the first field of type {@link Channel}
 * on the request's channel wrapper) and walk up to the connection, whose pipeline holds
 * the {@link SslHandler}. Anything unexpected yields "no certificate", so a change in
 * Dubbo fails closed; the system tests prove the happy path on every build.
 */
final class PeerCertificates {

	/** The SAN URI prefix that names a tenant: {@code urn:chatrelay:tenant:<id>}. */
	static final String TENANT_URI_PREFIX = "urn:chatrelay:tenant:";

	private static final int SAN_URI = 6;

	private static final ClassValue<Optional<Field>> CHANNEL_FIELDS = new ClassValue<>() {

		@Override
		protected Optional<Field> computeValue(Class<?> type) {
			return fieldAssignableTo(type, Channel.class);
		}

	};

	/** Wrappers to look through before giving up (Dubbo 3.3.5 has two). */
	private static final int MAX_WRAPPERS = 4;

	private static final ClassValue<Optional<Field>> WRAPPER_FIELDS = new ClassValue<>() {

		@Override
		protected Optional<Field> computeValue(Class<?> type) {
			return fieldAssignableTo(type, org.apache.dubbo.remoting.http12.HttpChannel.class);
		}

	};

	private PeerCertificates() {
	}

	/**
	 * The verified peer certificate of the connection behind a Triple HTTP request.
	 * @param httpRequest Dubbo's {@code HttpRequest} of the current call
	 * @return the leaf certificate, or empty without TLS or without a client certificate
	 */
	static Optional<X509Certificate> of(Object httpRequest) {
		return nettyChannel(httpRequest).flatMap(PeerCertificates::session).flatMap(PeerCertificates::leaf);
	}

	private static Optional<Channel> nettyChannel(Object httpRequest) {
		Optional<Object> wrapper = field(WRAPPER_FIELDS, httpRequest);
		for (int i = 0; i < MAX_WRAPPERS && wrapper.isPresent(); i++) {
			Optional<Object> channel = field(CHANNEL_FIELDS, wrapper.get());
			if (channel.isPresent()) {
				return channel.map(Channel.class::cast);
			}
			wrapper = field(WRAPPER_FIELDS, wrapper.get());
		}
		return Optional.empty();
	}

	/**
	 * The tenant a certificate names: its one SAN URI {@code urn:chatrelay:tenant:<id>}.
	 * @param certificate the client certificate
	 * @return the tenant id, or empty when the certificate names none or more than one
	 */
	static Optional<String> tenantOf(X509Certificate certificate) {
		Collection<List<?>> names;
		try {
			names = certificate.getSubjectAlternativeNames();
		}
		catch (CertificateParsingException ex) {
			return Optional.empty();
		}
		if (names == null) {
			return Optional.empty();
		}
		List<String> tenants = new ArrayList<>();
		for (List<?> name : names) {
			if (name.size() == 2 && Integer.valueOf(SAN_URI).equals(name.get(0)) && name.get(1) instanceof String uri
					&& uri.startsWith(TENANT_URI_PREFIX) && uri.length() > TENANT_URI_PREFIX.length()) {
				tenants.add(uri.substring(TENANT_URI_PREFIX.length()));
			}
		}
		return (tenants.size() == 1) ? Optional.of(tenants.get(0)) : Optional.empty();
	}

	private static Optional<SSLSession> session(Channel channel) {
		for (Channel current = channel; current != null; current = current.parent()) {
			SslHandler ssl = current.pipeline().get(SslHandler.class);
			if (ssl != null) {
				return Optional.of(ssl.engine().getSession());
			}
		}
		return Optional.empty();
	}

	private static Optional<X509Certificate> leaf(SSLSession session) {
		try {
			Certificate[] chain = session.getPeerCertificates();
			return (chain.length > 0 && chain[0] instanceof X509Certificate x509) ? Optional.of(x509)
					: Optional.empty();
		}
		catch (SSLPeerUnverifiedException ex) {
			return Optional.empty();
		}
	}

	private static Optional<Object> field(ClassValue<Optional<Field>> fields, Object owner) {
		if (owner == null) {
			return Optional.empty();
		}
		return fields.get(owner.getClass()).map((field) -> {
			try {
				return field.get(owner);
			}
			catch (IllegalAccessException ex) {
				return null;
			}
		});
	}

	private static Optional<Field> fieldAssignableTo(Class<?> type, Class<?> wanted) {
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				if (wanted.isAssignableFrom(field.getType())) {
					try {
						field.setAccessible(true);
						return Optional.of(field);
					}
					catch (RuntimeException ex) {
						return Optional.empty();
					}
				}
			}
		}
		return Optional.empty();
	}

}
