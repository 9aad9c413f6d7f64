package io.chatrelay.standalone.infra;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThrowawayCaTest {

	@TempDir
	Path dir;

	@Test
	void aClientCertificateIsIssuedByTheCaAndNamesItsTenant() throws Exception {
		ThrowawayCa ca = ThrowawayCa.create(this.dir);
		NodeTls client = ca.issueClient("client-1", "acme");

		X509Certificate caCert = read(ca.trust());
		X509Certificate cert = read(client.cert());
		cert.verify(caCert.getPublicKey());
		assertThat(cert.getIssuerX500Principal()).isEqualTo(caCert.getSubjectX500Principal());
		assertThat(cert.getSubjectAlternativeNames()).contains(List.of(6, "urn:chatrelay:tenant:acme"),
				List.of(7, "127.0.0.1"));
		assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
		assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
		assertThat(cert.getBasicConstraints()).isEqualTo(-1);
		assertThat(Files.readString(client.key())).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(Files.getPosixFilePermissions(client.key()))
			.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
		assertThat(client.clientProperties()).containsEntry("chat.client.tls.trust", ca.trust().toString());
	}

	@Test
	void aProviderCertificateNamesNoTenantAndASelfSignedOneIsNotTheCas() throws Exception {
		ThrowawayCa ca = ThrowawayCa.create(this.dir);
		X509Certificate caCert = read(ca.trust());
		X509Certificate provider = read(ca.issueProvider("provider-1").cert());
		provider.verify(caCert.getPublicKey());
		assertThat(provider.getSubjectAlternativeNames()).noneMatch((name) -> name.get(0).equals(6));

		NodeTls impostor = ca.selfSigned("impostor");
		X509Certificate forged = read(impostor.cert());
		assertThatThrownBy(() -> forged.verify(caCert.getPublicKey()))
			.isInstanceOf(java.security.SignatureException.class);
		assertThat(impostor.trust()).isEqualTo(ca.trust());
	}

	private static X509Certificate read(Path pem) throws Exception {
		try (InputStream in = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

}
