package io.chatrelay.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build context of the node images is the repository root: {@code .dockerignore}
 * keeps out what is built, personal or secret, and keeps in everything the Maven build
 * reads.
 */
class DockerIgnoreTest {

	private final DockerIgnore ignore = DockerIgnore.read(Repository.root().resolve(".dockerignore"));

	@Test
	void leavesOutVersionControlBuildOutputLocalRunsAndIdeFiles() {
		assertThat(List.of(".git", ".git/HEAD", "target/classes/x",
				"chat-client/target/chat-client-0.1.0-SNAPSHOT-exec.jar", "deploy/kit/target/surefire-reports/x.txt",
				".chatrelay/redis/appendonly.aof", ".idea/misc.xml", ".vscode/settings.json",
				"chat-client/chat-client.iml", "chat-client/.cifuzz-corpus/a"))
			.allSatisfy((path) -> assertThat(this.ignore.excludes(path)).as(path).isTrue());
	}

	@Test
	void leavesOutKeysCertificatesKeystoresAndEnvironmentFiles() {
		assertThat(List.of("server.key", "tls/ca.pem", "chat-client/src/main/resources/node.pem", "a/b/client.p12",
				"keystore.jks", "x/y/truststore.keystore", "deploy/compose/.env", ".env", "deploy/compose/.env.local",
				"secrets/tenant.env", "deploy/compose/tls/node.crt"))
			.allSatisfy((path) -> assertThat(this.ignore.excludes(path)).as(path).isTrue());
	}

	@Test
	void keepsEverythingTheImageBuildReads() {
		Path root = Repository.root();
		List<String> needed = new ArrayList<>(List.of("pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties",
				".mvn/wrapper/maven-wrapper.jar", ".mvn/maven.config"));
		// The reactor reads every module's pom, also with -pl ... -am.
		Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Repository.read(root.resolve("pom.xml")));
		while (module.find()) {
			needed.add(module.group(1) + "/pom.xml");
		}
		// The node modules and what they depend on: main and test sources (-DskipTests
		// compiles the tests).
		for (String dependency : List.of("chat-api", "chat-client", "chat-provider")) {
			needed.addAll(files(root, dependency + "/src/main"));
			needed.addAll(files(root, dependency + "/src/test/java"));
		}
		assertThat(needed).hasSizeGreaterThan(100);
		assertThat(needed.stream().filter(this.ignore::excludes).toList()).as("needed by the build, left out")
			.isEmpty();
	}

	@Test
	void matchesPatternsAsDockerDoes() {
		DockerIgnore sample = DockerIgnore.parse("""
				# comment
				**/target
				/docs/
				*.md
				!README.md
				deploy/*/src
				""");
		assertThat(sample.excludes("target")).isTrue();
		assertThat(sample.excludes("a/b/target/c.jar")).isTrue();
		assertThat(sample.excludes("a/targets")).isFalse();
		assertThat(sample.excludes("docs/a.md")).isTrue();
		assertThat(sample.excludes("NOTES.md")).isTrue();
		assertThat(sample.excludes("README.md")).isFalse();
		assertThat(sample.excludes("chat-client/NOTES.md")).isFalse();
		assertThat(sample.excludes("deploy/kit/src/test/A.java")).isTrue();
		assertThat(sample.excludes("deploy/kit/pom.xml")).isFalse();
	}

	private static List<String> files(Path root, String directory) {
		Path start = root.resolve(directory);
		if (!Files.isDirectory(start)) {
			return List.of();
		}
		try (Stream<Path> paths = Files.walk(start)) {
			return paths.filter(Files::isRegularFile).map((path) -> root.relativize(path).toString()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
