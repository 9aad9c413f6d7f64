package io.chatrelay.standalone.infra;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RoutingPublisherTest {

	private static final String DEGRADE = """
			primary: chatgpt
			fallback: [chatglm, ernie]
			degrade:
			  enabled: true
			  target: chatglm
			""";

	@TempDir
	Path dataDir;

	private EmbeddedZooKeeper zooKeeper;

	@BeforeEach
	void start() throws Exception {
		this.zooKeeper = EmbeddedZooKeeper.start(0, this.dataDir.resolve("zk"));
	}

	@AfterEach
	void stop() {
		this.zooKeeper.close();
	}

	@Test
	void publishesTheDocumentWhereDubbosZooKeeperConfigCenterReadsIt() throws Exception {
		RoutingPublisher.publish(this.zooKeeper.connectString(), DEGRADE);

		try (ZooKeeper client = connect()) {
			assertThat(RoutingPublisher.ZNODE).isEqualTo("/dubbo/config/chat-relay/chat-relay-routing.yaml");
			assertThat(new String(client.getData(RoutingPublisher.ZNODE, false, null), StandardCharsets.UTF_8))
				.isEqualTo(DEGRADE);
			assertThat(client.exists("/dubbo/config/chat-relay", false)).isNotNull();
		}
	}

	@Test
	void publishesAnotherDocumentOfTheGroupBesideTheRoutingDocument() throws Exception {
		String words = "lists: [{name: rude, action: mask, words: [darn]}]\n";

		RoutingPublisher.publish(this.zooKeeper.connectString(), "chat-relay-words.yaml", words);

		try (ZooKeeper client = connect()) {
			assertThat(new String(client.getData("/dubbo/config/chat-relay/chat-relay-words.yaml", false, null),
					StandardCharsets.UTF_8))
				.isEqualTo(words);
		}
		assertThat(RoutingPublisher.read(this.zooKeeper.connectString())).isEmpty();
	}

	@Test
	void publishesTheWordListsFromTheCommandLine() throws Exception {
		Path file = Files.writeString(this.dataDir.resolve("words.yaml"), "lists: []\n");

		assertThat(RoutingPublisher.run(RoutingPublisher.WORDS_KEY,
				new String[] { file.toString(), this.zooKeeper.connectString() }))
			.isZero();
		try (ZooKeeper client = connect()) {
			assertThat(client.exists("/dubbo/config/chat-relay/chat-relay-words.yaml", false)).isNotNull();
		}
	}

	@Test
	void replacesThePublishedDocumentAndNotifiesWatchers() throws Exception {
		RoutingPublisher.publish(this.zooKeeper.connectString(), "primary: chatgpt\n");
		try (ZooKeeper client = connect()) {
			CountDownLatch changed = new CountDownLatch(1);
			client.getData(RoutingPublisher.ZNODE, (event) -> {
				if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
					changed.countDown();
				}
			}, null);

			RoutingPublisher.publish(this.zooKeeper.registryAddress(), DEGRADE);

			assertThat(changed.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(RoutingPublisher.read(this.zooKeeper.connectString())).hasValue(DEGRADE);
		}
	}

	@Test
	void publishesAFileFromTheCommandLine() throws Exception {
		Path file = Files.writeString(this.dataDir.resolve("degrade.yaml"), DEGRADE);

		assertThat(RoutingPublisher.run(new String[] { file.toString(), this.zooKeeper.connectString() })).isZero();
		assertThat(RoutingPublisher.read(this.zooKeeper.connectString())).hasValue(DEGRADE);
	}

	@Test
	void publishesTheSampleDocumentsOfTheReadme() throws Exception {
		for (String sample : new String[] { "default.yaml", "degrade-to-chatglm.yaml", "degrade-to-ernie.yaml" }) {
			Path file = Path.of("routing", sample);

			assertThat(RoutingPublisher.run(new String[] { file.toString(), this.zooKeeper.registryAddress() }))
				.isZero();
			assertThat(RoutingPublisher.read(this.zooKeeper.connectString()).orElseThrow()).contains("primary: chatgpt")
				.contains("degrade:");
		}
	}

	@Test
	void refusesBadArgumentsAndEmptyDocuments() throws Exception {
		assertThat(RoutingPublisher.run(new String[0])).isEqualTo(2);
		assertThat(RoutingPublisher.run(new String[] { "--help" })).isZero();
		assertThat(RoutingPublisher.run(new String[] { "a.yaml", "127.0.0.1:1", "extra" })).isEqualTo(2);
		assertThat(RoutingPublisher
			.run(new String[] { this.dataDir.resolve("missing.yaml").toString(), this.zooKeeper.connectString() }))
			.isEqualTo(1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RoutingPublisher.publish(this.zooKeeper.connectString(), " \n"));
		assertThat(RoutingPublisher.read(this.zooKeeper.connectString())).isEmpty();
	}

	@Test
	void acceptsRegistryStyleAddresses() {
		assertThat(RoutingPublisher.connectString("zookeeper://127.0.0.1:2181?timeout=3000"))
			.isEqualTo("127.0.0.1:2181");
		assertThat(RoutingPublisher.connectString(" 127.0.0.1:12181/ ")).isEqualTo("127.0.0.1:12181");
	}

	private ZooKeeper connect() throws Exception {
		CountDownLatch connected = new CountDownLatch(1);
		ZooKeeper client = new ZooKeeper(this.zooKeeper.connectString(), 5000, (event) -> {
			if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
				connected.countDown();
			}
		});
		assertThat(connected.await(5, TimeUnit.SECONDS)).isTrue();
		return client;
	}

}
