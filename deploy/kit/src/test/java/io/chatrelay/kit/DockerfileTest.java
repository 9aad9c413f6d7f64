package io.chatrelay.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.chatrelay.kit.Dockerfile.Instruction;
import io.chatrelay.kit.Dockerfile.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The node images' Dockerfiles (deploy/docker), checked as files: no container engine
 * runs here. Each builds from source in one stage and runs as a fixed non-root user in
 * another, on base images pinned to a full version, exposes exactly the ports of the
 * node's application.yml, checks its liveness without curl, and carries no secret.
 */
class DockerfileTest {

	private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(KEY|SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL).*");

	private static final Pattern SECRET_VALUE = Pattern
		.compile("(?i).*(sk-[a-z0-9_-]{8,}|bce-v3/|-----BEGIN|://[^/\\s:@]+:[^/\\s@]+@).*");

	private static final Pattern KEY_OR_ENV_FILE = Pattern
		.compile("(?i).*(\\.(pem|key|crt|p12|pfx|jks|keystore)|(^|/)\\.env(\\..*)?)$");

	private static final Pattern FULL_VERSION_TAG = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([._+-][\\w.-]*)?");

	private static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
			"application");

	static Dockerfile dockerfile(Node node) {
		return Dockerfile.read(path(node));
	}

	static Path path(Node node) {
		return Repository.root().resolve("deploy/docker/" + node.artifact() + ".Dockerfile");
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void buildsInOneStageAndRunsOnAFreshBaseImageInAnother(Node node) {
		List<Stage> stages = dockerfile(node).stages();
		assertThat(stages).as(node + ": FROM instructions").hasSizeGreaterThanOrEqualTo(2);
		Set<String> aliases = stages.stream().map(Stage::alias).collect(Collectors.toSet());
		assertThat(aliases).as("the final stage starts from an image, not from an earlier stage")
			.doesNotContain(stages.get(stages.size() - 1).image());
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void pinsEveryBaseImageToAFullVersion(Node node) {
		List<Stage> stages = dockerfile(node).stages();
		Set<String> aliases = stages.stream().map(Stage::alias).collect(Collectors.toSet());
		for (Stage stage : stages) {
			String image = stage.image();
			if (aliases.contains(image) || image.contains("@sha256:")) {
				continue;
			}
			int colon = image.lastIndexOf(':');
			assertThat(colon).as("line %d: %s has no tag", stage.from().line(), image)
				.isGreaterThan(image.lastIndexOf('/'));
			String tag = image.substring(colon + 1);
			assertThat(tag).as("line %d: the tag of %s", stage.from().line(), image)
				.doesNotContainIgnoringCase("latest")
				.matches(FULL_VERSION_TAG);
		}
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void runsAsAFixedNumericUserThatIsNotRoot(Node node) {
		Stage runtime = dockerfile(node).finalStage();
		Instruction user = runtime.last("USER")
			.orElseThrow(() -> new AssertionError(node + ": the final stage has no USER: it would run as root"));
		assertThat(user.arguments()).as("numeric, so that Kubernetes' runAsNonRoot can check it")
			.matches("\\d+(:\\d+)?");
		String[] ids = user.arguments().split(":");
		for (String id : ids) {
			assertThat(Integer.parseInt(id)).as("USER " + user.arguments()).isNotZero();
		}
		assertThat(runtime.all("RUN")).as("the user exists in the image")
			.anySatisfy((run) -> assertThat(run.text()).contains("--uid " + ids[0]));
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void exposesExactlyThePortsOfTheNodesApplicationYml(Node node) {
		Set<Integer> exposed = new TreeSet<>();
		for (Instruction expose : dockerfile(node).finalStage().all("EXPOSE")) {
			for (String port : expose.text().split(" ")) {
				exposed.add(Integer.parseInt(port.replaceAll("/(tcp|udp)$", "")));
			}
		}
		assertThat(exposed).as(node + ": EXPOSE against server.port, management.server.port, dubbo.protocol.port")
			.containsExactlyElementsOf(NodePorts.of(node).all());
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void checksLivenessOnTheManagementPortWithoutCurl(Node node) {
		Instruction check = dockerfile(node).finalStage()
			.last("HEALTHCHECK")
			.orElseThrow(() -> new AssertionError(node + ": no HEALTHCHECK"));
		String command = check.arguments().replaceAll("^(--\\S+\\s+)*", "");
		assertThat(command).as("HEALTHCHECK").startsWith("CMD");
		String executable = command.substring(3).strip();
		String script = String.join(" ", check.execForm(executable).orElse(List.of(executable)));
		assertThat(script).contains("/actuator/health/liveness")
			.contains("/dev/tcp/127.0.0.1/" + NodePorts.of(node).management() + " ")
			.doesNotContain("curl")
			.doesNotContain("wget");
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void carriesNoSecret(Node node) {
		for (Instruction instruction : dockerfile(node).instructions()) {
			if (instruction.is("ARG") || instruction.is("ENV")) {
				for (String[] variable : variables(instruction)) {
					assertThat(variable[0]).as("line %d: %s %s", instruction.line(), instruction.keyword(), variable[0])
						.doesNotMatch(SECRET_NAME);
					assertThat(variable[1]).as("line %d: the value of %s", instruction.line(), variable[0])
						.doesNotMatch(SECRET_VALUE);
				}
			}
			if (instruction.is("COPY") || instruction.is("ADD")) {
				List<String> words = new ArrayList<>(List.of(instruction.text().split(" ")));
				words.removeIf((word) -> word.startsWith("--"));
				for (String source : words.subList(0, words.size() - 1)) {
					assertThat(source).as("line %d: %s copies", instruction.line(), instruction.keyword())
						.doesNotMatch(KEY_OR_ENV_FILE);
				}
			}
		}
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void buildsTheModuleFromSourceAndLaunchesItsLayers(Node node) {
		Dockerfile dockerfile = dockerfile(node);
		List<String> runs = dockerfile.instructions()
			.stream()
			.filter((instruction) -> instruction.is("RUN"))
			.map(Instruction::text)
			.toList();
		String module = node.artifact();
		assertThat(runs).as("the Maven build")
			.anySatisfy((run) -> assertThat(run).contains("./mvnw ", " -DskipTests", " -pl " + module + " -am package",
					"cp " + module + "/target/" + module + "-*-exec.jar "));
		assertThat(Repository.read(Repository.root().resolve(module + "/pom.xml")))
			.as("the Dockerfile copies the jar spring-boot-maven-plugin repackages with this classifier")
			.contains("<classifier>exec</classifier>");
		assertThat(runs).as("the layers")
			.anySatisfy((run) -> assertThat(run).contains("java -Djarmode=tools -jar ",
					" extract --layers --launcher --destination "));

		List<String> copied = dockerfile.finalStage()
			.all("COPY")
			.stream()
			.map(Instruction::text)
			.filter((copy) -> copy.startsWith("--from="))
			.map((copy) -> copy.split(" ")[1].replaceAll("/+$", ""))
			.map((source) -> source.substring(source.lastIndexOf('/') + 1))
			.toList();
		assertThat(copied).as("least to most often changed").containsExactlyElementsOf(LAYERS);

		Instruction entrypoint = dockerfile.finalStage()
			.last("ENTRYPOINT")
			.orElseThrow(() -> new AssertionError(node + ": no ENTRYPOINT"));
		List<String> exec = entrypoint.execForm(entrypoint.arguments())
			.orElseThrow(() -> new AssertionError("ENTRYPOINT in exec form, so that java gets the signals"));
		assertThat(exec.get(0)).isEqualTo("java");
		assertThat(exec).last().isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
		assertThat(exec).contains("-XX:+ExitOnOutOfMemoryError")
			.anyMatch((flag) -> flag.startsWith("-XX:MaxRAMPercentage="));
		assertThat(Repository.read(path(node))).as("a loopback-only flag of our tests")
			.doesNotContain("dubbo.network.interface.ignored");
	}

	@ParameterizedTest
	@EnumSource(Node.class)
	void writesEveryExecFormAsJson(Node node) {
		List<String> checked = new ArrayList<>();
		for (Instruction instruction : dockerfile(node).instructions()) {
			String arguments = instruction.is("HEALTHCHECK")
					? instruction.arguments().replaceAll("^(--\\S+\\s+)*", "").replaceFirst("^CMD\\s*", "")
					: instruction.arguments();
			if (Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK").contains(instruction.keyword())
					&& instruction.execForm(arguments).isPresent()) {
				checked.add(instruction.keyword());
			}
		}
		assertThat(checked).contains("ENTRYPOINT", "HEALTHCHECK");
	}

	@Test
	void readsInstructionsAsDockerDoes() {
		Dockerfile dockerfile = Dockerfile.parse("sample", """
				# syntax=docker/dockerfile:1
				FROM eclipse-temurin:17.0.13_11-jdk-jammy AS build
				RUN echo one \\
				# a comment inside the instruction
				\t&& echo two

				FROM eclipse-temurin:17.0.13_11-jre-jammy
				ENV A=1 B="two words"
				HEALTHCHECK --interval=5s CMD ["bash", "-c", "true"]
				ENTRYPOINT ["java", "-jar"
				""");
		assertThat(dockerfile.instructions()).extracting(Instruction::keyword)
			.containsExactly("FROM", "RUN", "FROM", "ENV", "HEALTHCHECK", "ENTRYPOINT");
		assertThat(dockerfile.instructions().get(1).text()).isEqualTo("echo one && echo two");
		assertThat(dockerfile.instructions().get(1).line()).isEqualTo(3);
		assertThat(dockerfile.stages()).extracting(Stage::alias).containsExactly("build", "");
		assertThat(variables(dockerfile.instructions().get(3))).extracting((variable) -> variable[0])
			.containsExactly("A", "B");
		Instruction entrypoint = dockerfile.finalStage().last("ENTRYPOINT").orElseThrow();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> entrypoint.execForm(entrypoint.arguments()))
			.withMessageContaining("not JSON");
	}

	@Test
	void findsASecretInAnArgOrEnv() {
		Dockerfile dockerfile = Dockerfile.parse("sample", """
				FROM eclipse-temurin:17.0.13_11-jre-jammy
				ARG OPENAI_API_KEY
				ENV REDIS_URL=redis://user:hunter2@redis:6379
				""");
		List<String[]> arg = variables(dockerfile.instructions().get(1));
		List<String[]> env = variables(dockerfile.instructions().get(2));
		assertThat(arg.get(0)[0]).matches(SECRET_NAME);
		assertThat(env.get(0)[1]).matches(SECRET_VALUE);
	}

	/**
	 * The variables an ARG or ENV sets: {@code NAME}, {@code NAME=value} (several, quoted
	 * values allowed) or the old {@code ENV NAME value}.
	 */
	private static List<String[]> variables(Instruction instruction) {
		String text = instruction.arguments();
		List<String[]> variables = new ArrayList<>();
		if (!text.contains("=") && instruction.is("ENV")) {
			String[] parts = text.split("\\s+", 2);
			variables.add(new String[] { parts[0], (parts.length > 1) ? parts[1] : "" });
			return variables;
		}
		java.util.regex.Matcher matcher = Pattern.compile("([\\w.-]+)(?:=(\"[^\"]*\"|'[^']*'|\\S*))?").matcher(text);
		while (matcher.find()) {
			String value = Optional.ofNullable(matcher.group(2)).orElse("");
			variables.add(new String[] { matcher.group(1), value.replaceAll("^[\"']|[\"']$", "") });
		}
		return variables;
	}

}
