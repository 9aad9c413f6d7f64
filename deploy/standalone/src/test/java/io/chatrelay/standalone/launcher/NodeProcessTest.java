package io.chatrelay.standalone.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import io.chatrelay.standalone.infra.Ports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeProcessTest {

	@TempDir
	static Path jarDir;

	static Path fakeNodeJar;

	@TempDir
	Path workDir;

	@BeforeAll
	static void packFakeNode() throws Exception {
		fakeNodeJar = jarDir.resolve("fake-node.jar");
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeNode.class.getName());
		Path classes = Path.of(FakeNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		String packageDir = FakeNode.class.getPackageName().replace('.', '/');
		try (OutputStream file = Files.newOutputStream(fakeNodeJar);
				JarOutputStream jar = new JarOutputStream(file, manifest);
				Stream<Path> files = Files.list(classes.resolve(packageDir))) {
			for (Path classFile : files.filter((f) -> f.getFileName().toString().startsWith("FakeNode")).toList()) {
				jar.putNextEntry(new JarEntry(packageDir + "/" + classFile.getFileName()));
				jar.write(Files.readAllBytes(classFile));
				jar.closeEntry();
			}
		}
	}

	@Test
	void startsWithTheStandardJvmArgsBecomesReadyAndStopsOnSigterm() throws Exception {
		NodeProcess node = NodeProcess.builder("fake-1", fakeNodeJar, Ports.freePort())
			.workDir(this.workDir.resolve("run"))
			.logDir(this.workDir.resolve("logs"))
			.property("chat.provider.model.openai.api-key", "sk-verysecretvalue-1234")
			.start();
		try {
			assertThat(node.awaitReady(Duration.ofSeconds(20))).isSameAs(node);
			assertThat(node.isAlive()).isTrue();
			assertThat(node.pid()).isPositive();
			assertThat(node.exitCode()).isEmpty();

			assertThat(node.stop(Duration.ofSeconds(10))).isEqualTo(143);
			assertThat(node.isAlive()).isFalse();
			assertThat(this.workDir.resolve("run").resolve("stopped-gracefully")).exists();
			String log = Files.readString(node.logFile());
			assertThat(node.logFile()).isEqualTo(this.workDir.resolve("logs").resolve("fake-1.log"));
			assertThat(log).contains("user.home=" + this.workDir.resolve("run"))
				.contains("java.io.tmpdir=" + this.workDir.resolve("run").resolve("tmp"))
				.contains("dubbo.network.interface.ignored=.*")
				.contains("(environment: CHAT_PROVIDER_MODEL_OPENAI_APIKEY=****1234)")
				.contains("CHAT_PROVIDER_MODEL_OPENAI_APIKEY characters: 23")
				.doesNotContain("--chat.provider.model.openai.api-key")
				.doesNotContain("verysecret");
		}
		finally {
			node.kill();
		}
	}

	@Test
	void failsWithTheLogTailWhenTheNodeExitsBeforeItIsReady() throws Exception {
		try (NodeProcess node = NodeProcess.builder("fake-2", fakeNodeJar, Ports.freePort())
			.workDir(this.workDir)
			.property("fake.fail", "true")
			.start()) {
			assertThatThrownBy(() -> node.awaitReady(Duration.ofSeconds(20)))
				.isInstanceOfSatisfying(NodeStartException.class, (ex) -> {
					assertThat(ex.nodeName()).isEqualTo("fake-2");
					assertThat(ex.getMessage()).contains("exited with code 3").contains("boom");
					assertThat(ex.logTail()).contains("boom: configured to fail");
				});
			assertThat(node.exitCode()).hasValue(3);
		}
	}

	@Test
	void failsWithTheLogTailWhenTheNodeIsNotReadyInTime() throws Exception {
		NodeProcess node = NodeProcess.builder("fake-3", fakeNodeJar, Ports.freePort())
			.workDir(this.workDir)
			.property("fake.ready-after-ms", "600000")
			.start();
		try {
			assertThatThrownBy(() -> node.awaitReady(Duration.ofSeconds(2))).isInstanceOf(NodeStartException.class)
				.hasMessageContaining("was not ready after 2 s")
				.hasMessageContaining("HTTP 503");
			assertThat(node.isAlive()).isTrue();
		}
		finally {
			node.kill();
		}
		assertThat(node.isAlive()).isFalse();
		assertThat(node.exitCode()).hasValue(137);
	}

	@Test
	void providerCommandLineFollowsTheNodeContract() {
		Path jar = Path.of("nodes", "chat-provider.jar").toAbsolutePath();
		NodeCommand provider = NodeProcess
			.provider("provider-1", jar, 8081, 50051, "zookeeper://127.0.0.1:2181", "http://127.0.0.1:18000/v1",
					"standin-key")
			.workDir(this.workDir)
			.property("server.address", "127.0.0.1")
			.jvmArg("-Dextra=1");
		List<String> command = provider.command();

		assertThat(command.get(0)).endsWith("java");
		assertThat(command).contains("-Xmx384m", "-Ddubbo.network.interface.ignored=.*",
				"-Ddubbo.application.qos-enable=false", "-Duser.home=" + this.workDir,
				"-Djava.io.tmpdir=" + this.workDir.resolve("tmp"));
		assertThat(command.subList(command.indexOf("-Dextra=1"), command.size())).containsExactly("-Dextra=1", "-jar",
				jar.toString(), "--server.port=8081", "--dubbo.protocol.port=50051",
				"--dubbo.registry.address=zookeeper://127.0.0.1:2181",
				"--chat.provider.model.openai.base-url=http://127.0.0.1:18000/v1",
				"--chat.provider.management.username=prometheus", "--server.address=127.0.0.1");
		assertThat(command.contains("-Ddubbo.json-framework.prefer=fastjson2"))
			.isEqualTo(Runtime.version().feature() >= 21);
		assertThat(String.join(" ", command)).as("no key on the command line").doesNotContain("standin-key");
		assertThat(provider.secretEnvironment()).containsEntry("CHAT_PROVIDER_MODEL_OPENAI_APIKEY", "standin-key")
			.containsKey("CHAT_PROVIDER_MANAGEMENT_PASSWORD")
			.hasSize(2);
	}

	@Test
	void clientCommandLineFollowsTheNodeContract() {
		Path jar = Path.of("nodes", "chat-client.jar").toAbsolutePath();
		NodeCommand client = NodeProcess
			.client("client-1", jar, 8080, "zookeeper://127.0.0.1:2181", "redis://127.0.0.1:6379", "demo")
			.maxHeap("512m")
			.property("server.port", "9090");
		List<String> command = client.command();

		assertThat(command).contains("-Xmx512m");
		assertThat(command.subList(command.indexOf("-jar"), command.size())).startsWith("-jar", jar.toString(),
				"--server.port=9090", "--dubbo.registry.address=zookeeper://127.0.0.1:2181",
				"--chat.client.redis.url=redis://127.0.0.1:6379", "--chat.client.tenant-id=demo");
		assertThat(command).anyMatch((argument) -> argument.matches("--management\\.server\\.port=\\d+"))
			.contains("--chat.client.security.management.username=prometheus");
		assertThat(client.secretEnvironment()).containsOnlyKeys("CHAT_CLIENT_SECURITY_MANAGEMENT_PASSWORD");
	}

	@Test
	void aUrlWithAPasswordGoesInTheEnvironmentNotOnTheCommandLine() {
		NodeCommand client = NodeProcess.client("client-1", Path.of("chat-client.jar"), 8080,
				"zookeeper://127.0.0.1:2181", "redis://tenant-a:s3cret@127.0.0.1:6379", "a");

		assertThat(String.join(" ", client.command())).doesNotContain("s3cret");
		assertThat(client.secretEnvironment()).containsEntry("CHAT_CLIENT_REDIS_URL",
				"redis://tenant-a:s3cret@127.0.0.1:6379");
	}

	@Test
	void refusesToStartAMissingJar() {
		assertThatThrownBy(() -> NodeProcess.builder("ghost", this.workDir.resolve("missing.jar"), 1).start())
			.isInstanceOf(IOException.class)
			.hasMessageContaining("missing.jar");
	}

}
