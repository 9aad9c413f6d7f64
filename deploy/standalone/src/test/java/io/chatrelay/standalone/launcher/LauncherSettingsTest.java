package io.chatrelay.standalone.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.chatrelay.standalone.standin.FailureMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LauncherSettingsTest {

	private static final Path NODES = Path.of("target", "nodes").toAbsolutePath();

	@Test
	void defaultsToTheDocumentedPortsTenantAndStandIn() {
		LauncherSettings settings = parse(Map.of(), List.of());

		assertThat(settings.home()).isEqualTo(Path.of(".chatrelay").toAbsolutePath().normalize());
		assertThat(settings.nodesDir()).isEqualTo(NODES);
		assertThat(settings.ports()).extracting(LauncherSettings.PortUse::port)
			.containsExactly(2181, 6379, 18000, 50051, 8081, 50052, 8082, 8080);
		assertThat(settings.usesStandIn()).isTrue();
		assertThat(settings.usesEmbeddedRedis()).isTrue();
		assertThat(settings.standInTokenDelay()).isEqualTo(Duration.ofMillis(20));
		assertThat(settings.tenantId()).isEqualTo("demo");
		assertThat(settings.logDir()).isEqualTo(settings.home().resolve("logs"));
	}

	@Test
	void readsOverridesFromTheEnvironment() {
		LauncherSettings settings = parse(Map.of("CHATRELAY_HOME", "/tmp/cr", "ZK_PORT", "12181", "CLIENT_PORT", "9080",
				"REDIS_URL", "redis://:pw@10.0.0.5:6380", "OPENAI_API_KEY", "sk-abcdefghijklmnop1234",
				"OPENAI_BASE_URL", "https://proxy.example/v1/", "PROVIDER_COUNT", "3", "PROVIDER_DUBBO_PORT", "60051"),
				List.of());

		assertThat(settings.home()).isEqualTo(Path.of("/tmp/cr"));
		assertThat(settings.usesEmbeddedRedis()).isFalse();
		assertThat(settings.llm().openAiOnStandIn()).isFalse();
		assertThat(settings.usesStandIn()).as("Zhipu and Qianfan still need it").isTrue();
		assertThat(settings.openAiBaseUrl()).isEqualTo("https://proxy.example/v1");
		assertThat(settings.ports()).extracting(LauncherSettings.PortUse::port)
			.containsExactly(12181, 18000, 60051, 8081, 60052, 8082, 60053, 8083, 9080);
		assertThat(settings.toString()).contains("****1234").doesNotContain("abcdefgh").doesNotContain(":pw@");
	}

	@Test
	void usesAnExternalNacosWithCredentialsFromTheEnvironmentInsteadOfTheEmbeddedZooKeeper() {
		LauncherSettings settings = parse(Map.of("REGISTRY", "nacos://nacos.internal:8848?namespace=prod",
				"REGISTRY_USERNAME", "chatrelay", "REGISTRY_PASSWORD", "nacos-password-9876"), List.of());

		assertThat(settings.registry().embedded()).isFalse();
		assertThat(settings.registry().nacos()).isTrue();
		assertThat(settings.ports()).extracting(LauncherSettings.PortUse::port).doesNotContain(2181);
		assertThat(settings.registry().nodeProperties()).containsExactly(
				Map.entry("dubbo.registry.username", "chatrelay"),
				Map.entry("dubbo.registry.password", "nacos-password-9876"));
		assertThat(settings.toString()).contains("nacos://nacos.internal:8848?namespace=prod as chatrelay")
			.contains("****9876")
			.doesNotContain("nacos-password");
		// The password reaches a node in its environment, never on its command line.
		assertThat(Secrets.isSecret("dubbo.registry.password", "nacos-password-9876")).isTrue();
	}

	@Test
	void refusesARegistryAddressWithCredentialsOrAnUnknownScheme() {
		for (String address : List.of("nacos://nacos:8848?namespace=prod&password=secret-in-url",
				"nacos://user:secret-in-url@nacos:8848", "nacos://nacos:8848?username=chatrelay")) {
			assertThatIllegalArgumentException().isThrownBy(() -> parse(Map.of("REGISTRY", address), List.of()))
				.withMessageContaining("REGISTRY_USERNAME and REGISTRY_PASSWORD")
				.withMessageNotContaining("secret-in-url");
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse(Map.of("REGISTRY", "etcd://10.0.0.1:2379"), List.of()))
			.withMessageContaining("nacos://host:port");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse(Map.of("REGISTRY_USERNAME", "chatrelay"), List.of()))
			.withMessageContaining("REGISTRY is not");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse(Map.of("REGISTRY", "nacos://nacos:8848", "REGISTRY_PASSWORD", "pw"), List.of()))
			.withMessageContaining("without REGISTRY_USERNAME");
	}

	@Test
	void needsNoStandInPortWhenEveryVendorHasARealKey() {
		LauncherSettings settings = parse(
				Map.of("OPENAI_API_KEY", "sk-abcdefghijklmnop1234", "ZHIPU_API_KEY", "zhipu-id.zhipu-secret-5678",
						"QIANFAN_ACCESS_KEY", "ak-abcdefghijkl9012", "QIANFAN_SECRET_KEY", "sk-abcdefghijkl3456"),
				List.of());

		assertThat(settings.usesStandIn()).isFalse();
		assertThat(settings.ports()).extracting(LauncherSettings.PortUse::port).doesNotContain(18000);
		assertThat(settings.toString()).doesNotContain("zhipu-secret").doesNotContain("abcdefghijkl");
	}

	@Test
	void readsStandInFailuresFromTheEnvironment() {
		LauncherSettings settings = parse(Map.of("STANDIN_FAIL_OPENAI", "503"), List.of());

		assertThat(settings.llm().standInFailures()).containsExactly(Map.entry("openai", FailureMode.UNAVAILABLE));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> parse(Map.of("STANDIN_FAIL_OPENAI", "sometimes"), List.of()))
			.withMessageContaining("STANDIN_FAIL_OPENAI");
	}

	@Test
	void takesTheNodesDirectoryFromTheSystemProperty() {
		LauncherSettings settings = LauncherSettings.parse(Map.of(), Map.of("chatrelay.nodes.dir", "/opt/cr/nodes"),
				List.of(), NODES);

		assertThat(settings.nodesDir()).isEqualTo(Path.of("/opt/cr/nodes"));
	}

	@Test
	void passesArgumentsToEveryNodeOrToOneKind() {
		LauncherSettings settings = parse(Map.of(), List.of("--logging.level.root=WARN",
				"--provider:chat.provider.model.openai.model=gpt-4o", "--client:logging.level.root=DEBUG"));

		assertThat(settings.providerNodeProperties()).containsExactly(Map.entry("logging.level.root", "WARN"),
				Map.entry("chat.provider.model.openai.model", "gpt-4o"));
		assertThat(settings.clientNodeProperties()).containsExactly(Map.entry("logging.level.root", "DEBUG"));
	}

	@Test
	void rejectsUnknownArgumentsAndBadNumbers() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse(Map.of(), List.of("start")))
			.withMessageContaining("Unknown argument 'start'");
		assertThatIllegalArgumentException().isThrownBy(() -> parse(Map.of("CLIENT_PORT", "eighty"), List.of()))
			.withMessageContaining("CLIENT_PORT");
		assertThatIllegalArgumentException().isThrownBy(() -> parse(Map.of("ZK_PORT", "70000"), List.of()))
			.withMessageContaining("ZK_PORT");
	}

	@Test
	void rejectsTwoPartsOnOnePort() {
		assertThatIllegalArgumentException().isThrownBy(() -> parse(Map.of("CLIENT_PORT", "8082"), List.of()))
			.withMessageContaining("Port 8082")
			.withMessageContaining("CLIENT_PORT")
			.withMessageContaining("PROVIDER_HTTP_PORT");
	}

	@Test
	void recognisesHelp() {
		assertThat(parse(Map.of(), List.of("--help")).help()).isTrue();
	}

	private static LauncherSettings parse(Map<String, String> env, List<String> args) {
		return LauncherSettings.parse(env, Map.of(), args, NODES);
	}

}
