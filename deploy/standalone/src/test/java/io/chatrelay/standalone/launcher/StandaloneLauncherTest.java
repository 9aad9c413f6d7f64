package io.chatrelay.standalone.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.chatrelay.standalone.infra.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandaloneLauncherTest {

	@TempDir
	Path home;

	@Test
	void failsFastNamingTheSettingWhenAPortIsBusy() throws Exception {
		Path nodes = Files.createDirectories(this.home.resolve("nodes"));
		Files.createFile(nodes.resolve("chat-provider.jar"));
		Files.createFile(nodes.resolve("chat-client.jar"));
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(Ports.loopback(), 0));
			int port = taken.getLocalPort();
			StandaloneLauncher launcher = new StandaloneLauncher(settings(nodes, Map.of("CLIENT_PORT", "" + port)));

			assertThatThrownBy(launcher::start).isInstanceOf(Ports.PortInUseException.class)
				.hasMessageContaining("Port " + port)
				.hasMessageContaining("client HTTP")
				.hasMessageContaining("set CLIENT_PORT");
			launcher.shutdown();
			assertThat(this.home.resolve("zk")).doesNotExist();
		}
	}

	@Test
	void checksAnExternalNacosBeforeStartingAnythingAndStartsNoZooKeeper() throws Exception {
		Path nodes = Files.createDirectories(this.home.resolve("nodes"));
		Files.createFile(nodes.resolve("chat-provider.jar"));
		Files.createFile(nodes.resolve("chat-client.jar"));
		int closed = Ports.freePort();
		StandaloneLauncher launcher = new StandaloneLauncher(
				settings(nodes, Map.of("REGISTRY", "nacos://127.0.0.1:" + closed + "?namespace=dev",
						"REGISTRY_USERNAME", "chatrelay", "REGISTRY_PASSWORD", "nacos-password-9876")));

		long started = System.nanoTime();
		assertThatThrownBy(launcher::start).isInstanceOf(IOException.class)
			.hasMessageContaining("Nacos at http://127.0.0.1:" + closed)
			.hasMessageContaining("unreachable")
			.hasMessageNotContaining("nacos-password");
		launcher.shutdown();
		assertThat((System.nanoTime() - started) / 1_000_000).as("ms to fail").isLessThan(10_000);
		assertThat(this.home.resolve("zk")).doesNotExist();
		assertThat(this.home.resolve("redis")).doesNotExist();
	}

	@Test
	void failsWithABuildHintWhenNodeJarsAreMissing() {
		StandaloneLauncher launcher = new StandaloneLauncher(settings(this.home.resolve("nowhere"), Map.of()));

		assertThatThrownBy(launcher::start).isInstanceOf(IOException.class)
			.hasMessageContaining("chat-provider.jar")
			.hasMessageContaining("run.sh");
		launcher.shutdown();
	}

	@Test
	void findsNodeJarsNextToTheLauncherJarOrClasses() {
		assertThat(StandaloneLauncher.defaultNodesDir().getFileName()).hasToString("nodes");
	}

	private LauncherSettings settings(Path nodes, Map<String, String> env) {
		Map<String, String> all = new HashMap<>();
		for (String port : List.of("ZK_PORT", "REDIS_PORT", "STANDIN_PORT", "PROVIDER_DUBBO_PORT", "PROVIDER_HTTP_PORT",
				"CLIENT_PORT")) {
			all.put(port, Integer.toString(Ports.freePort()));
		}
		all.putAll(env);
		all.put("CHATRELAY_HOME", this.home.toString());
		return LauncherSettings.parse(all, Map.of("chatrelay.nodes.dir", nodes.toString()), List.of(), nodes);
	}

}
