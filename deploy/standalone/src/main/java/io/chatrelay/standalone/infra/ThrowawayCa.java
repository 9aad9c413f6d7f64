package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority that lives for one run: it issues the provider and client
 * certificates for mutual TLS on the Triple port and is never written anywhere but the
 * run's own directory. EC P-256 keys from the JDK; BouncyCastle only builds the
 * certificates (signed by the JDK's providers, so no security provider is registered).
 *
 * <p>
 * A client certificate names its tenant as the SAN URI {@code urn:chatrelay:tenant:<id>};
 * the provider allows it to call for that tenant only.
 */
public final class ThrowawayCa {

	/** The SAN URI prefix that names a tenant. */
	public static final String TENANT_URI_PREFIX = "urn:chatrelay:tenant:";

	private static final Duration VALIDITY = Duration.ofDays(7);

	private static final String SIGNATURE = "SHA256withECDSA";

	private final Path dir;

	private final KeyPair keys;

	private final X509Certificate certificate;

	private final Path trust;

	private final SecureRandom random = new SecureRandom();

	private ThrowawayCa(Path dir, KeyPair keys, X509Certificate certificate, Path trust) {
		this.dir = dir;
		this.keys = keys;
		this.certificate = certificate;
		this.trust = trust;
	}

	/**
	 * Create a new CA and write its certificate to {@code
	 *
	<dir>
	 * /ca.pem} (its key stays in memory).
	 * @param dir the directory for this run's certificates (created if missing)
	 * @return the CA
	 */
	public static ThrowawayCa create(Path dir) {
		try {
			Files.createDirectories(dir);
			KeyPair keys = newKeyPair();
			X500Name name = new X500Name("CN=ChatRelay throwaway CA");
			X509v3CertificateBuilder builder = builder(name, name, keys, new SecureRandom());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			X509Certificate certificate = sign(builder, keys.getPrivate());
			Path trust = dir.resolve("ca.pem");
			writePem(trust, "CERTIFICATE", certificate.getEncoded(), false);
			return new ThrowawayCa(dir.toAbsolutePath(), keys, certificate, trust.toAbsolutePath());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot create the throwaway CA", ex);
		}
	}

	/**
	 * Issue a provider certificate ({@code
	 *
	<dir>
	 * /<name>.pem} and {@code .key}).
	 * @param name the node name, also the file names
	 * @return the node's files, trusting this CA
	 */
	public NodeTls issueProvider(String name) {
		return issue(name, null);
	}

	/**
	 * Issue a client certificate that names a tenant.
	 * @param name the node name, also the file names
	 * @param tenantId the tenant the client may call for
	 * @return the node's files, trusting this CA
	 */
	public NodeTls issueClient(String name, String tenantId) {
		return issue(name, Objects.requireNonNull(tenantId, "tenantId"));
	}

	/**
	 * A certificate this CA did not issue: self-signed, but trusting this CA for its
	 * peers (what an impostor on the network would have).
	 * @param name the node name, also the file names
	 * @return the impostor's files
	 */
	public NodeTls selfSigned(String name) {
		try {
			KeyPair keys = newKeyPair();
			X500Name subject = new X500Name("CN=" + name);
			X509v3CertificateBuilder builder = builder(subject, subject, keys, this.random);
			addLeafExtensions(builder, null);
			return write(name, sign(builder, keys.getPrivate()), keys.getPrivate());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot create a self-signed certificate", ex);
		}
	}

	/**
	 * The CA certificate file.
	 * @return {@code <dir>/ca.pem}
	 */
	public Path trust() {
		return this.trust;
	}

	private NodeTls issue(String name, String tenantId) {
		try {
			KeyPair keys = newKeyPair();
			X509v3CertificateBuilder builder = builder(
					X500Name.getInstance(this.certificate.getSubjectX500Principal().getEncoded()),
					new X500Name("CN=" + name), keys, this.random);
			addLeafExtensions(builder, tenantId);
			return write(name, sign(builder, this.keys.getPrivate()), keys.getPrivate());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot issue a certificate for " + name, ex);
		}
	}

	private NodeTls write(String name, X509Certificate certificate, PrivateKey key)
			throws IOException, CertificateException {
		Path cert = this.dir.resolve(name + ".pem");
		Path keyFile = this.dir.resolve(name + ".key");
		writePem(cert, "CERTIFICATE", certificate.getEncoded(), false);
		writePem(keyFile, "PRIVATE KEY", key.getEncoded(), true);
		return new NodeTls(cert, keyFile, this.trust);
	}

	private static void addLeafExtensions(X509v3CertificateBuilder builder, String tenantId) throws CertIOException {
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
		builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
		builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
				new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
		List<GeneralName> names = new ArrayList<>();
		names.add(new GeneralName(GeneralName.dNSName, "localhost"));
		names.add(new GeneralName(GeneralName.iPAddress, Ports.LOOPBACK));
		if (tenantId != null) {
			names.add(new GeneralName(GeneralName.uniformResourceIdentifier, TENANT_URI_PREFIX + tenantId));
		}
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(names.toArray(GeneralName[]::new)));
	}

	private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys,
			SecureRandom random) {
		Instant now = Instant.now();
		return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).abs().add(BigInteger.ONE),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
			throws OperatorCreationException, CertificateException {
		ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKey);
		return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
	}

	private static KeyPair newKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
		String body = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der);
		String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
		Files.deleteIfExists(file);
		if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		Files.writeString(file, pem, StandardCharsets.US_ASCII);
	}

}
