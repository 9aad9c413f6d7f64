package io.chatrelay.standalone.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedZooKeeperTest {

	@TempDir
	Path dataDir;

	@Test
	void servesZooKeeperClientsOnLoopback() throws Exception {
		try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(0, this.dataDir)) {
			assertThat(zooKeeper.isRunning()).isTrue();
			assertThat(zooKeeper.registryAddress()).isEqualTo("zookeeper://127.0.0.1:" + zooKeeper.port());
			try (ZooKeeper client = connect(zooKeeper)) {
				client.create("/chat-relay", bytes("routing"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
				assertThat(client.getData("/chat-relay", false, null)).isEqualTo(bytes("routing"));
			}
		}
	}

	@Test
	void keepsPortAndDataAcrossStopAndRestart() throws Exception {
		try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(0, this.dataDir)) {
			int port = zooKeeper.port();
			try (ZooKeeper client = connect(zooKeeper)) {
				client.create("/kept", bytes("v1"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
			}
			zooKeeper.stop();
			assertThat(zooKeeper.isRunning()).isFalse();
			assertThat(Ports.isFree(port)).isTrue();

			zooKeeper.restart();
			assertThat(zooKeeper.port()).isEqualTo(port);
			try (ZooKeeper client = connect(zooKeeper)) {
				assertThat(client.getData("/kept", false, null)).isEqualTo(bytes("v1"));
			}
		}
	}

	@Test
	void sessionSurvivesAQuickRestart() throws Exception {
		try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(0, this.dataDir);
				ZooKeeper client = connect(zooKeeper)) {
			client.create("/provider", bytes("up"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
			long session = client.getSessionId();

			zooKeeper.restart();

			assertThat(awaitData(client, "/provider")).isEqualTo(bytes("up"));
			assertThat(client.getSessionId()).isEqualTo(session);
		}
	}

	@Test
	void refusesToStartOnABusyPort() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(Ports.loopback(), 0));
			assertThatThrownBy(() -> EmbeddedZooKeeper.start(taken.getLocalPort(), this.dataDir))
				.isInstanceOf(IOException.class)
				.hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
		}
	}

	private static ZooKeeper connect(EmbeddedZooKeeper zooKeeper) throws Exception {
		CountDownLatch connected = new CountDownLatch(1);
		ZooKeeper client = new ZooKeeper(zooKeeper.connectString(), 5000, (event) -> {
			if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
				connected.countDown();
			}
		});
		if (!connected.await(5, TimeUnit.SECONDS)) {
			client.close();
			throw new IllegalStateException("No ZooKeeper connection to " + zooKeeper.connectString());
		}
		return client;
	}

	private static byte[] awaitData(ZooKeeper client, String path) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		Exception last = null;
		while (System.nanoTime() < deadline) {
			try {
				return client.getData(path, false, null);
			}
			catch (org.apache.zookeeper.KeeperException.ConnectionLossException ex) {
				last = ex;
				Thread.sleep(100);
			}
		}
		throw last;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
