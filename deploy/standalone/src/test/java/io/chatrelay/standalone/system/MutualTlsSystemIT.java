package io.chatrelay.standalone.system;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chatrelay.standalone.infra.NodeTls;
import io.chatrelay.standalone.launcher.NodeProcess;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 13, item 2: mutual TLS between client and provider. Every node of the cluster has
 * a certificate from the run's throwaway CA; the tests call the provider's Triple port as
 * outsiders (the issue's curl, TLS without a certificate, another tenant's certificate)
 * and register an impostor provider in the same registry.
 */
class MutualTlsSystemIT {

	private static final String ANSWER = "Hello over mutual TLS";

	private static final String IMPOSTOR_ANSWER = "An answer from the impostor";

	private static final String PROVIDERS_PATH = "/dubbo/io.chatrelay.api.ChatService/providers";

	private static WireMockServer openAi;

	private static WireMockServer impostorOpenAi;

	private static SystemCluster cluster;

	private static int triplePort;

	@BeforeAll
	static void startSystem() throws Exception {
		openAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		openAi.start();
		OpenAiStubs.install(openAi, ANSWER);
		impostorOpenAi = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		impostorOpenAi.start();
		OpenAiStubs.install(impostorOpenAi, IMPOSTOR_ANSWER);
		cluster = SystemCluster.start("mutual-tls");
		cluster.startNodes(1, openAi.baseUrl() + "/v1", Map.of(), Map.of());
		cluster.awaitServing(Duration.ofSeconds(60));
		triplePort = cluster.providerDubboPort(0);
	}

	@AfterAll
	static void stopSystem() {
		if (cluster != null) {
			cluster.close();
		}
		if (openAi != null) {
			openAi.stop();
		}
		if (impostorOpenAi != null) {
			impostorOpenAi.stop();
		}
	}

	@Test
	void theIssuesCurlIsRefused() throws Exception {
		String body = TripleHttp.chatBody("nobody", "gpt-4o", "curl-from-outside");
		assertThat(TripleHttp.plainHttp1(triplePort, body, 0)).doesNotContain(" 200 ").doesNotContain(ANSWER);
		// A first segment shorter than a TLS record header skips Dubbo's TLS detection.
		assertThat(TripleHttp.plainHttp1(triplePort, body, 4)).doesNotContain(" 200 ").doesNotContain(ANSWER);
		openAi.verify(0,
				postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(containing("curl-from-outside")));
	}

	@Test
	void tlsWithoutAClientCertificateIsRefusedInTheHandshake() {
		NodeTls trustOnly = cluster.ca().issueClient("no-cert-caller", SystemCluster.TENANT);
		for (HttpClient.Version version : HttpClient.Version.values()) {
			assertThatThrownBy(() -> TripleHttp.https(triplePort, trustOnly, false, version,
					TripleHttp.chatBody(SystemCluster.TENANT, "default", "hi")))
				.isInstanceOf(java.io.IOException.class);
		}
	}

	@Test
	void aClientCertificateOfAnotherTenantIsRefusedForThatTenantAndServesItsOwn() throws Exception {
		NodeTls other = cluster.ca().issueClient("other-tenant", "other");
		HttpResponse<String> refused = TripleHttp.https(triplePort, other, true, HttpClient.Version.HTTP_2,
				TripleHttp.chatBody(SystemCluster.TENANT, "default", "hi"));
		assertThat(refused.statusCode()).isNotEqualTo(200);
		assertThat(refused.body()).contains("tenant other may not call for tenant " + SystemCluster.TENANT)
			.doesNotContain(ANSWER);

		HttpResponse<String> own = TripleHttp.https(triplePort, other, true, HttpClient.Version.HTTP_2,
				TripleHttp.chatBody("other", "default", "hi"));
		assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
		assertThat(own.body()).contains(ANSWER);
	}

	@Test
	void aModelTheTenantMayNotUseIsRefused() throws Exception {
		NodeTls tenant = cluster.ca().issueClient("model-caller", SystemCluster.TENANT);
		HttpResponse<String> refused = TripleHttp.https(triplePort, tenant, true, HttpClient.Version.HTTP_2,
				TripleHttp.chatBody(SystemCluster.TENANT, "gpt-4o", "hi"));
		assertThat(refused.statusCode()).isNotEqualTo(200);
		assertThat(refused.body()).contains("model 'gpt-4o' is not allowed for tenant " + SystemCluster.TENANT)
			.doesNotContain(ANSWER);
	}

	@Test
	void http1IsRefusedEvenOverTlsWithAValidCertificate() throws Exception {
		NodeTls tenant = cluster.ca().issueClient("http1-caller", SystemCluster.TENANT);
		HttpResponse<String> refused = TripleHttp.https(triplePort, tenant, true, HttpClient.Version.HTTP_1_1,
				TripleHttp.chatBody(SystemCluster.TENANT, "default", "hi"));
		assertThat(refused.statusCode()).isNotEqualTo(200);
		assertThat(refused.body()).contains("HTTP/2").doesNotContain(ANSWER);
	}

	@Test
	void theTriplePortListensOnLoopbackOnly() throws Exception {
		Path tcp = Path.of("/proc/net/tcp");
		assumeTrue(Files.isReadable(tcp), "needs Linux's /proc/net/tcp");
		String port = String.format("%04X", triplePort);
		List<String> listening = new ArrayList<>();
		for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
			if (!Files.isReadable(table)) {
				continue;
			}
			for (String line : Files.readAllLines(table)) {
				String[] fields = line.strip().split("\\s+");
				// local_address is ADDRESS:PORT in hex; state 0A is LISTEN.
				if (fields.length > 3 && fields[1].endsWith(":" + port) && "0A".equals(fields[3])) {
					listening.add(fields[1].substring(0, fields[1].indexOf(':')));
				}
			}
		}
		assertThat(listening).isNotEmpty()
			.allSatisfy((address) -> assertThat(address).isIn("0100007F", "0000000000000000FFFF00000100007F"));
	}

	@Test
	void aProviderWithoutACertificateFromTheCaRegisteredInTheRegistryReceivesNoCall() throws Exception {
		NodeTls impostor = cluster.ca().selfSigned("impostor");
		NodeProcess started = cluster.startProvider(impostorOpenAi.baseUrl() + "/v1", impostor.providerProperties());
		assertThat(started.isAlive()).isTrue();
		awaitTwoProvidersRegistered();
		Thread.sleep(1000);

		// Dubbo counts a provider as available while its TCP connection is up, which
		// includes the few milliseconds of each failing handshake: a call that lands
		// there
		// fails as UNAVAILABLE (nothing reaches any provider). Every other call is
		// answered by the good provider, and none ever by the impostor.
		int answered = 0;
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> response = webChat("among-impostors-" + i);
			assertThat(response.body()).doesNotContain(IMPOSTOR_ANSWER);
			if (response.statusCode() == 200) {
				assertThat(response.body()).contains(ANSWER);
				answered++;
			}
			else {
				assertThat(response.body()).as(response.body()).contains("UNAVAILABLE");
			}
		}
		assertThat(answered).isGreaterThanOrEqualTo(15);
		impostorOpenAi.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
		assertThat(Files.readString(started.logFile())).contains("TLS negotiation failed")
			.doesNotContain("TLS negotiation succeed");
		assertThat(started.isAlive()).isTrue();
	}

	private static HttpResponse<String> webChat(String conversation) throws Exception {
		return HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.clientUrl() + "/api/v1/chat"))
				.header("content-type", "application/json")
				.timeout(Duration.ofSeconds(10))
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(
						"{\"conversationId\":\"" + conversation + "\",\"userId\":\"it\",\"message\":\"hello\"}",
						StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void awaitTwoProvidersRegistered() throws Exception {
		CountDownLatch connected = new CountDownLatch(1);
		ZooKeeper zooKeeper = new ZooKeeper(cluster.zooKeeper().connectString(), 10_000, (event) -> {
			if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
				connected.countDown();
			}
		});
		try {
			assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			List<String> providers = List.of();
			while (System.nanoTime() < deadline) {
				providers = zooKeeper.getChildren(PROVIDERS_PATH, false);
				if (providers.size() == 2) {
					return;
				}
				Thread.sleep(100);
			}
			throw new AssertionError("The impostor never registered: " + providers);
		}
		finally {
			zooKeeper.close();
		}
	}

}
