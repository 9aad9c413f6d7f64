package io.chatrelay.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every application property the deployment files set (deploy/k8s, deploy/compose) is one
 * the node has, by its configuration metadata: a renamed or misspelt property fails here,
 * not silently in production.
 */
class PropertyNamesTest {

	private static final Pattern REDIS_VARIABLE = Pattern.compile("\\bCHAT_CLIENT_REDIS_[A-Z0-9_]*[A-Z0-9]\\b");

	private static final Pattern REDIS_PROPERTY = Pattern.compile("\\bchat\\.client\\.redis\\.[a-z0-9.-]*[a-z0-9]\\b");

	private static final Pattern YAML_BLOCK = Pattern.compile("(?ms)^```ya?ml\\n(.*?)^```");

	private final PropertyNames client = PropertyNames.of(Node.CLIENT);

	private final PropertyNames provider = PropertyNames.of(Node.PROVIDER);

	@Test
	void theMetadataCoversTheNodesOwnLibrariesAndRecords() {
		assertThat(NodeMetadata.of(Node.CLIENT).properties()).containsKeys("chat.client.tenant-id",
				"chat.client.redis.url", "chat.client.redis.mode", "chat.client.redis.username",
				"chat.client.redis.password", "chat.client.redis.sentinel.master", "chat.client.redis.sentinel.nodes",
				"chat.client.redis.cluster.nodes", "chat.client.redis.acknowledge-replicas",
				"chat.client.redis.ssl-bundle", "chat.client.quota.enabled", "server.port", "management.server.port",
				"logging.level", "spring.config.additional-location", "dubbo.registry.address",
				"dubbo.registry.username", "dubbo.registry.password");
		assertThat(NodeMetadata.of(Node.PROVIDER).properties()).containsKeys("chat.provider.model.openai.api-key",
				"chat.provider.tenants", "chat.provider.bind-address", "chat.provider.tls.cert",
				"resilience4j.circuitbreaker.configs", "dubbo.protocol.port", "dubbo.registry.username");
	}

	@Test
	void theMetadataIsReadFromTheNodeAndEveryLibraryOfItsJar() {
		for (Node node : Node.values()) {
			assertThat(NodeMetadata.of(node).sources()).as(node + " metadata sources")
				.contains(node + " META-INF/spring-configuration-metadata.json")
				.anyMatch((source) -> source.startsWith("spring-boot-autoconfigure-"))
				.anyMatch((source) -> source.startsWith("spring-boot-actuator-autoconfigure-"))
				.anyMatch((source) -> source.startsWith("dubbo-spring-boot-autoconfigure-"));
		}
	}

	@Test
	void everyKeyOfEachNodesOwnApplicationYmlIsKnown() {
		for (Node node : Node.values()) {
			PropertyNames names = PropertyNames.of(node);
			List<String> problems = NodeMetadata.of(node)
				.applicationProperties()
				.keySet()
				.stream()
				.map(names::checkProperty)
				.flatMap(Optional::stream)
				.toList();
			assertThat(problems).as(node + " application.yml").isEmpty();
		}
	}

	@Test
	void aMisspeltEnvironmentVariableIsReportedWithTheNameItMeant() {
		assertThat(this.client.checkEnvironmentVariable("CHAT_CLIENT_TENAT_ID"))
			.hasValue("CHAT_CLIENT_TENAT_ID: chat.client.tenat.id is not a property of chat-client; did you mean "
					+ "chat.client.tenant-id (CHAT_CLIENT_TENANT_ID)?");
	}

	@Test
	void aMisspeltFileKeyFarFromAnyNameListsThePropertiesBesideIt() {
		assertThat(this.provider.checkProperty("chat.provider.tls.certificate"))
			.hasValueSatisfying((problem) -> assertThat(problem)
				.startsWith("chat.provider.tls.certificate: not a property of chat-provider")
				.contains("known under it: chat.provider.tls.cert, chat.provider.tls.enabled"));
	}

	@Test
	void bothRelaxedFormsOfADashedPropertyAreAccepted() {
		assertThat(this.client.checkEnvironmentVariable("CHAT_CLIENT_TENANT_ID")).isEmpty();
		assertThat(this.client.checkEnvironmentVariable("CHAT_CLIENT_TENANTID")).isEmpty();
		assertThat(this.client.checkProperty("chat.client.tenant-id")).isEmpty();
		assertThat(this.client.checkProperty("chat.client.tenantId")).isEmpty();
		assertThat(this.client.checkProperty("chat.client.tenat-id")).isPresent();
	}

	@Test
	void mapAndListPropertiesTakeAnyNameBelowThem() {
		assertThat(this.client.checkEnvironmentVariable("LOGGING_LEVEL_ORG_APACHE_DUBBO")).isEmpty();
		assertThat(this.client.checkProperty("logging.level.org.apache.dubbo")).isEmpty();
		assertThat(this.client.checkProperty("management.observations.enable.[spring.security]")).isEmpty();
		assertThat(this.provider.checkEnvironmentVariable("CHAT_PROVIDER_TENANTS_ACME_VENDORS_CHATGPT_APIKEY"))
			.isEmpty();
		assertThat(this.provider.checkProperty("chat.provider.routing.fallback[0]")).isEmpty();
		assertThat(this.provider.checkEnvironmentVariable("CHAT_PROVIDER_TENANT_ACME_MODELS")).isPresent();
	}

	@Test
	void dubboVariablesFollowDubbosOwnMappingNotSpringsDroppedDashes() {
		assertThat(this.provider.checkEnvironmentVariable("DUBBO_REGISTRY_USERNAME")).isEmpty();
		assertThat(this.provider.checkEnvironmentVariable("DUBBO_REGISTRY_USE_AS_CONFIG_CENTER")).isEmpty();
		assertThat(this.provider.checkEnvironmentVariable("DUBBO_REGISTRY_USE-AS-CONFIG-CENTER")).isEmpty();
		assertThat(this.provider.checkEnvironmentVariable("DUBBO_REGISTRY_USEASCONFIGCENTER"))
			.hasValueSatisfying((problem) -> assertThat(problem).contains("does not drop dashes")
				.contains("DUBBO_REGISTRY_USE_AS_CONFIG_CENTER"));
		assertThat(this.provider.checkEnvironmentVariable("DUBBO_REGISTRY_USERNAM")).isPresent();
	}

	@Test
	void placeholdersOfTheNodesApplicationYmlAndTheListedNonPropertiesPass() {
		assertThat(this.client.placeholders()).contains("NACOS_ADDR", "CHAT_TENANT_ID", "CHAT_CLIENT_MANAGEMENT_PORT");
		assertThat(this.client.checkEnvironmentVariable("NACOS_ADDR")).isEmpty();
		assertThat(this.provider.checkEnvironmentVariable("OPENAI_API_KEY")).isEmpty();
		assertThat(this.client.checkEnvironmentVariable("OPENAI_API_KEY")).isPresent();
		assertThat(this.client.checkEnvironmentVariable("JAVA_TOOL_OPTIONS")).isEmpty();
		assertThat(this.client.checkEnvironmentVariable("NACOS_AUTH_ENABLE")).isPresent();
	}

	@Test
	void everySettingOfTheKubernetesKitIsAPropertyOfItsNode() {
		List<DeploymentSettings.Setting> settings = new ArrayList<>();
		Kustomize.kit().forEach((overlay, manifests) -> settings.addAll(DeploymentSettings.of(overlay, manifests)));
		assertThat(problems(settings)).isEmpty();
		assertThat(settings).as("settings found in deploy/k8s")
			.extracting(DeploymentSettings.Setting::name)
			.contains("CHAT_CLIENT_TENANT_ID", "DUBBO_REGISTRY_ADDRESS", "DUBBO_REGISTRY_PASSWORD",
					"chat.provider.tls.cert", "logging.level.org.apache.dubbo");
	}

	@Test
	void everySettingOfTheComposeFilesIsAPropertyOfItsNode() {
		List<Path> files = Repository.composeFiles();
		Assumptions.assumeFalse(files.isEmpty(), "no deploy/compose/*.yaml yet");
		List<DeploymentSettings.Setting> settings = files.stream()
			.flatMap((file) -> DeploymentSettings.ofCompose(file).stream())
			.toList();
		assertThat(settings).as("settings of chat-client and chat-provider services in " + files).isNotEmpty();
		assertThat(problems(settings)).isEmpty();
	}

	@Test
	void everyRedisSettingTheDeploymentGuidesNameIsAPropertyOfTheClient() {
		List<Path> guides = Stream
			.of("deploy/redis/README.md", "deploy/k8s/README.md", "deploy/compose/README.md",
					"deploy/compose/compose.sentinel.yaml", "deploy/compose/compose.yaml")
			.map(Repository.root()::resolve)
			.toList();
		List<String> problems = new ArrayList<>();
		int checked = 0;
		for (Path guide : guides) {
			String text = Repository.read(guide);
			String where = Repository.root().relativize(guide) + ": ";
			Matcher variable = REDIS_VARIABLE.matcher(text);
			while (variable.find()) {
				checked++;
				this.client.checkEnvironmentVariable(variable.group())
					.ifPresent((problem) -> problems.add(where + problem));
			}
			Matcher property = REDIS_PROPERTY.matcher(text);
			while (property.find()) {
				checked++;
				this.client.checkProperty(property.group()).ifPresent((problem) -> problems.add(where + problem));
			}
			Matcher block = YAML_BLOCK.matcher(text);
			while (block.find()) {
				for (String key : ConfigFiles.properties("application.yaml", block.group(1)).keySet()) {
					if (key.startsWith("chat.") || key.startsWith("spring.")) {
						checked++;
						this.client.checkProperty(key).ifPresent((problem) -> problems.add(where + problem));
					}
				}
			}
		}
		assertThat(checked).as("Redis settings named in " + guides).isGreaterThan(20);
		assertThat(problems).isEmpty();
	}

	@Test
	void aPropertyRenamedInACopyOfTheKitIsReported(@TempDir Path copy) throws IOException {
		copyTree(Repository.k8s(), copy);
		Path env = copy.resolve("overlays/tenant-acme/client.env");
		String original = Files.readString(env);
		assertThat(original).contains("CHAT_CLIENT_TENANT_ID=acme");
		Files.writeString(env, original.replace("CHAT_CLIENT_TENANT_ID=acme", "CHAT_CLIENT_TENAT_ID=acme"));

		List<DeploymentSettings.Setting> settings = new ArrayList<>();
		for (Path overlay : Repository.overlays(copy)) {
			settings.addAll(DeploymentSettings.of(overlay.getFileName().toString(), Kustomize.rendered(overlay)));
		}
		assertThat(problems(settings)).containsExactly("deploy/k8s/overlays/tenant-acme Deployment chat-client "
				+ "container chat-client envFrom ConfigMap " + configMapOf(settings, "CHAT_CLIENT_TENAT_ID")
				+ ": CHAT_CLIENT_TENAT_ID: chat.client.tenat.id is not a property of chat-client; did you mean "
				+ "chat.client.tenant-id (CHAT_CLIENT_TENANT_ID)?");
	}

	private static List<String> problems(List<DeploymentSettings.Setting> settings) {
		return settings.stream().map(DeploymentSettings.Setting::problem).flatMap(Optional::stream).distinct().toList();
	}

	private static String configMapOf(List<DeploymentSettings.Setting> settings, String name) {
		return settings.stream()
			.filter((setting) -> setting.name().equals(name))
			.map((setting) -> setting.where().substring(setting.where().lastIndexOf(' ') + 1))
			.findFirst()
			.orElse("(none)");
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path path : paths.toList()) {
				Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(path, target);
				}
			}
		}
	}

}
