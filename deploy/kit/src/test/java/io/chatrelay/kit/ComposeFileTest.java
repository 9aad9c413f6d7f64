package io.chatrelay.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/compose, checked without a container engine: docker-compose (Debian's 1.29) must
 * accept both files as an operator's {@code up} reads them, and the YAML must hold what a
 * first real run needs: pinned images, secrets only as {@code ${VARIABLES}}, Nacos with
 * authentication and its credentials for the nodes outside any address, the routing
 * document seeded once Nacos is healthy, Redis with an append-only file, each tenant's
 * Redis user limited to its keys and given to its clients outside the URL, and the
 * Sentinel override pointing the clients at the Sentinels.
 */
class ComposeFileTest {

	private static final Path DIR = Repository.root().resolve("deploy/compose");

	private static final Path BASE = DIR.resolve("compose.yaml");

	private static final Path SENTINEL = DIR.resolve("compose.sentinel.yaml");

	private static final Path ENV_EXAMPLE = DIR.resolve(".env.example");

	private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|_KEY|IDENTITY_VALUE).*");

	private static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*(:\\?[^}]*|:-)?}");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::?([-?])([^}]*))?}");

	private static final Pattern FILE_PATH = Pattern.compile("/[\\w./-]+");

	private static final Pattern USER_INFO = Pattern.compile("://([^:/@\\s]*):((?:\\$\\{[^}]*}|[^@\\s$])*)@");

	private static final Pattern FULL_VERSION_TAG = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([._+-][\\w.-]*)?");

	private static final Pattern SENTINEL_MONITOR = Pattern
		.compile("(?m)^sentinel monitor (\\S+) (\\S+) (\\d+) (\\d+)$");

	private static final Pattern SENTINEL_PORT = Pattern.compile("(?m)^port (\\d+)$");

	private static final Pattern TENANT_USER = Pattern.compile("(?m)^\\s*user (cr-\\S+) (.*)$");

	/**
	 * What a tenant's Redis user must not be denied: the categories and commands of what
	 * chat-client sends (deploy/redis/README.md, "One Redis, several tenants").
	 */
	private static final Set<String> CLIENT_NEEDS = Set.of("@all", "@read", "@write", "@keyspace", "@string", "@hash",
			"@list", "@set", "@stream", "@pubsub", "@scripting", "@connection", "@fast", "@slow", "@blocking", "wait",
			"evalsha", "script", "script|load", "xadd", "xreadgroup", "xack", "xautoclaim", "xclaim", "xdel", "xgroup",
			"xgroup|create", "xgroup|delconsumer", "xinfo", "xinfo|consumers", "xlen", "xpending", "xrange", "xtrim",
			"subscribe", "unsubscribe", "publish", "client", "client|setname", "client|setinfo", "ping", "cluster",
			"cluster|slots", "auth", "hello", "select", "hset", "hget", "hgetall", "hincrby", "hdel", "hexists", "del",
			"sadd", "smembers", "set", "get", "exists", "expire", "pexpire", "pexpireat", "pttl", "incrby", "rpush",
			"ltrim", "lrange", "time");

	@Test
	void dockerComposeAcceptsTheComposeFile() {
		DockerCompose.Result result = DockerCompose.require().config(ENV_EXAMPLE, variables(), List.of(BASE), "-q");
		assertThat(result.exitCode()).as("docker-compose config on compose.yaml said:%n%s", result.output()).isZero();
	}

	@Test
	void dockerComposeAcceptsTheSentinelOverride() {
		DockerCompose.Result result = DockerCompose.require()
			.config(ENV_EXAMPLE, variables(), List.of(BASE, SENTINEL), "-q");
		assertThat(result.exitCode())
			.as("docker-compose config on compose.yaml + compose.sentinel.yaml said:%n%s", result.output())
			.isZero();
	}

	@Test
	void dockerComposeRefusesToStartWithoutTheSecrets(@TempDir Path dir) throws IOException {
		Path empty = Files.writeString(dir.resolve(".env"), "");
		DockerCompose.Result result = DockerCompose.require().config(empty, variables(), List.of(BASE), "-q");
		assertThat(result.exitCode()).as(result.output()).isNotZero();
		assertThat(result.output()).contains("in .env");
	}

	@Test
	void usesOnlyWhatComposeFileFormat24Knows() {
		for (Path file : List.of(BASE, SENTINEL)) {
			JsonNode compose = yaml(file);
			assertThat(compose.path("version").asText()).as(file.getFileName() + " version").isEqualTo("2.4");
			assertThat(names(compose)).as(file.getFileName() + " top level")
				.isSubsetOf("version", "services", "volumes", "networks");
			services(compose).forEach((name, service) -> assertThat(names(service)).as(name)
				.doesNotContain("deploy", "profiles", "secrets", "configs"));
		}
	}

	@Test
	void pinsEveryImage() {
		Set<String> base = services(yaml(BASE)).keySet();
		for (Path file : List.of(BASE, SENTINEL)) {
			services(yaml(file)).forEach((name, service) -> {
				if (file.equals(SENTINEL) && base.contains(name) && !service.has("image")) {
					return; // a setting of compose.yaml's service, which keeps its image
				}
				String image = withDefaults(service.path("image").asText());
				assertThat(image).as(name + " image").isNotEmpty().doesNotContainIgnoringCase("latest");
				String tag = image.substring(image.lastIndexOf(':') + 1);
				assertThat(image.lastIndexOf(':')).as(name + ": " + image + " has a tag")
					.isGreaterThan(image.lastIndexOf('/'));
				assertThat(tag).as(name + ": the tag of " + image).matches(FULL_VERSION_TAG);
			});
		}
	}

	@Test
	void writesNoSecretButAsAVariable() {
		for (Path file : List.of(BASE, SENTINEL)) {
			services(yaml(file)).forEach((name, service) -> {
				environment(service).forEach((variable, value) -> {
					if (SECRET_NAME.matcher(variable).matches()) {
						assertThat(REFERENCE.matcher(value).matches() || FILE_PATH.matcher(value).matches())
							.as("%s %s: %s is neither a ${VARIABLE} nor a file", name, variable, value)
							.isTrue();
					}
					Matcher userInfo = USER_INFO.matcher(value);
					while (userInfo.find()) {
						assertThat(userInfo.group(2)).as("%s %s: the password in the URL", name, variable)
							.matches(REFERENCE);
					}
				});
				String command = text(service.path("command")) + " " + text(service.path("entrypoint"));
				Matcher secret = Pattern.compile("(requirepass|masterauth|auth-pass \\S+|\\s>)\\s*(\\S+)")
					.matcher(command);
				while (secret.find()) {
					assertThat(secret.group(2)).as("%s: %s in its command", name, secret.group(1)).startsWith("$$");
				}
			});
			assertThat(Repository.read(file)).as(file.getFileName().toString())
				.doesNotContainPattern("sk-[A-Za-z0-9_-]{8,}")
				.doesNotContain("-----BEGIN");
		}
	}

	@Test
	void theEnvironmentExampleHoldsPlaceholdersOnly() {
		Map<String, String> example = envFile(ENV_EXAMPLE);
		assertThat(example).containsKeys("NACOS_PASSWORD", "NACOS_ADMIN_PASSWORD", "NACOS_AUTH_TOKEN",
				"REDIS_PASSWORD");
		example.forEach((name, value) -> {
			if (SECRET_NAME.matcher(name).matches()) {
				assertThat(value).as(name).isIn("", "change-me");
			}
		});
		assertThat(variables()).as("every variable the compose files use is in the example")
			.isSubsetOf(example.keySet());
		assertThat(Repository.read(DIR.resolve(".gitignore")).lines()).contains(".env");
	}

	@Test
	void givesTheNodesNacosCredentialsThroughTwoVariablesNeverInTheAddress() {
		Map<String, JsonNode> nodes = nodes(yaml(BASE));
		assertThat(nodes).containsKeys("provider", "client-a", "client-b");
		nodes.forEach((name, service) -> {
			Map<String, String> environment = environment(service);
			assertThat(environment.get("DUBBO_REGISTRY_USERNAME")).as(name).matches(REFERENCE);
			assertThat(environment.get("DUBBO_REGISTRY_PASSWORD")).as(name).matches(REFERENCE);
			String address = environment.get("DUBBO_REGISTRY_ADDRESS");
			assertThat(address).as(name + " DUBBO_REGISTRY_ADDRESS")
				.startsWith("nacos://nacos:8848?")
				.contains("namespace=${NACOS_NAMESPACE")
				.doesNotContain("@")
				.doesNotContainIgnoringCase("username")
				.doesNotContainIgnoringCase("password");
		});
		services(yaml(BASE)).forEach((name, service) -> environment(service)
			.forEach((variable, value) -> assertThat(value).as(name + " " + variable)
				.doesNotContainIgnoringCase("password=")
				.doesNotContainIgnoringCase("username=")));
	}

	@Test
	void seedsTheRoutingDocumentOnceNacosIsHealthy() {
		Map<String, JsonNode> services = services(yaml(BASE));
		JsonNode seed = services.get("nacos-seed");
		assertThat(seed).as("the seed job").isNotNull();
		assertThat(seed.path("restart").asText()).isEqualTo("no");
		assertThat(seed.at("/depends_on/nacos/condition").asText()).isEqualTo("service_healthy");
		assertThat(services.get("nacos").has("healthcheck")).as("Nacos has a health check").isTrue();
		assertThat(texts(seed.path("volumes"))).anySatisfy((volume) -> {
			assertThat(volume).startsWith("../nacos/chat-relay-routing.yaml:");
			assertThat(DIR.resolve(volume.split(":")[0])).isRegularFile();
		});
		assertThat(text(seed.path("entrypoint"))).contains("seed-nacos.sh");
		assertThat(Repository.read(DIR.resolve("scripts/seed-nacos.sh"))).contains("/v1/auth/login", "/v1/cs/configs",
				"DATA_ID=chat-relay-routing.yaml", "GROUP=chat-relay", "type=yaml", "\"tenant=$NAMESPACE\"");
	}

	@Test
	void startsTheNodesOnceNacosIsSeededTheCertificatesExistAndRedisIsHealthy() {
		nodes(yaml(BASE)).forEach((name, service) -> {
			JsonNode after = service.path("depends_on");
			assertThat(after.at("/nacos-seed/condition").asText()).as(name).isEqualTo("service_completed_successfully");
			assertThat(after.at("/certs/condition").asText()).as(name).isEqualTo("service_completed_successfully");
			if (name.startsWith("client")) {
				assertThat(after.at("/redis/condition").asText()).as(name).isEqualTo("service_healthy");
			}
			assertThat(service.path("stop_grace_period").asText()).as(name + ": time for the graceful shutdown")
				.matches("[2-9]\\d+s");
		});
		JsonNode certs = services(yaml(BASE)).get("certs");
		assertThat(certs.path("restart").asText()).isEqualTo("no");
		assertThat(Repository.read(DIR.resolve("scripts/issue-certs.sh"))).contains("urn:chatrelay:tenant:");
	}

	@Test
	void runsNacosWithAuthenticationAndItsGrpcPortWithinReach() {
		JsonNode nacos = services(yaml(BASE)).get("nacos");
		assertThat(nacos.path("image").asText()).isEqualTo("nacos/nacos-server:v2.5.1");
		Map<String, String> environment = environment(nacos);
		assertThat(environment).containsEntry("NACOS_AUTH_ENABLE", "true").containsEntry("MODE", "standalone");
		assertThat(List.of("NACOS_AUTH_TOKEN", "NACOS_AUTH_IDENTITY_KEY", "NACOS_AUTH_IDENTITY_VALUE"))
			.allSatisfy((name) -> assertThat(environment.get(name)).as(name).matches(REFERENCE));
		assertThat(texts(nacos.path("expose"))).contains("8848", "9848");
		assertThat(texts(nacos.path("ports"))).allSatisfy((port) -> assertThat(port).startsWith("127.0.0.1:"));
	}

	@Test
	void keepsRedisInAnAppendOnlyFileWithoutEviction() {
		List<JsonNode> redis = List.of(services(yaml(BASE)).get("redis"),
				services(yaml(SENTINEL)).get("redis-replica"));
		for (JsonNode service : redis) {
			assertThat(service.path("image").asText()).matches("redis:7\\.2\\.\\d+");
			assertThat(text(service.path("command"))).contains("--appendonly yes", "--appendfsync everysec",
					"--maxmemory-policy noeviction", "requirepass $$REDIS_PASSWORD");
			assertThat(texts(service.path("volumes"))).anyMatch((volume) -> volume.endsWith(":/data"));
		}
	}

	@Test
	void runsTwoProvidersAndOneClientPerTenantThatScalesWithoutAFixedHostPort() {
		Map<String, JsonNode> nodes = nodes(yaml(BASE));
		assertThat(nodes.get("provider").path("scale").asInt()).isEqualTo(2);
		Set<String> tenants = new TreeSet<>();
		nodes.forEach((name, service) -> {
			String tenant = environment(service).get("CHAT_CLIENT_TENANT_ID");
			if (tenant == null) {
				return;
			}
			tenants.add(tenant);
			assertThat(service.has("scale")).as(name + ": one replica until scaled").isFalse();
			for (String port : texts(service.path("ports"))) {
				String[] parts = withDefaults(port).split(":");
				assertThat(parts[parts.length - 1]).as(name)
					.isEqualTo(String.valueOf(NodePorts.of(Node.CLIENT).server()));
				assertThat(parts[parts.length - 2]).as(name + ": a range of host ports, one per replica")
					.matches("\\d+-\\d+");
			}
		});
		assertThat(tenants).hasSize(2);
	}

	@Test
	void letsTheNodesPortsBeReachedInsideTheNetwork() {
		Map<String, JsonNode> nodes = nodes(yaml(BASE));
		NodePorts provider = NodePorts.of(Node.PROVIDER);
		assertThat(texts(nodes.get("provider").path("expose")))
			.containsExactlyInAnyOrderElementsOf(provider.all().stream().map(String::valueOf).toList());
		for (String client : List.of("client-a", "client-b")) {
			assertThat(texts(nodes.get(client).path("expose")))
				.contains(String.valueOf(NodePorts.of(Node.CLIENT).management()));
		}
	}

	@Test
	void givesEachClientItsTenantsRedisUserAndPasswordOutsideTheUrl() {
		String redis = text(services(yaml(BASE)).get("redis").path("command"));
		Map<String, JsonNode> clients = clients(yaml(BASE));
		assertThat(clients).hasSize(2);
		clients.forEach((name, service) -> {
			Map<String, String> environment = environment(service);
			String tenant = variableOf(environment.get("CHAT_CLIENT_TENANT_ID"));
			assertThat(tenant).as(name + " CHAT_CLIENT_TENANT_ID").endsWith("_ID");
			String password = tenant.replaceFirst("_ID$", "_REDIS_PASSWORD");
			assertThat(environment.get("CHAT_CLIENT_REDIS_URL")).as(name + " CHAT_CLIENT_REDIS_URL")
				.isEqualTo("redis://redis:6379");
			assertThat(environment.get("CHAT_CLIENT_REDIS_USERNAME")).as(name + " CHAT_CLIENT_REDIS_USERNAME")
				.isEqualTo("cr-${" + tenant + "}");
			assertThat(environment.get("CHAT_CLIENT_REDIS_PASSWORD")).as(name + " CHAT_CLIENT_REDIS_PASSWORD")
				.matches(REFERENCE)
				.startsWith("${" + password + ":?");
			assertThat(redis).as(name + ": Redis has the user the client logs in as")
				.contains("user cr-$$" + tenant + " on >$$" + password + " ~cr:{$$" + tenant
						+ "}:* resetchannels &cr:{$$" + tenant + "}:* ");
		});
	}

	@Test
	void noRedisUrlCarriesCredentials() {
		for (Path file : List.of(BASE, SENTINEL)) {
			String uncommented = Repository.read(file)
				.lines()
				.filter((line) -> !line.strip().startsWith("#"))
				.collect(Collectors.joining("\n"));
			assertThat(RedisUrls.withCredentials(uncommented)).as(file.getFileName() + ": Redis URLs with user-info")
				.isEmpty();
			services(yaml(file)).forEach((name, service) -> environment(service).forEach((variable, value) -> {
				if (value.contains("redis://") || value.contains("rediss://")) {
					assertThat(RedisUrls.isPlain(value)).as("%s %s: %s", name, variable, value).isTrue();
				}
			}));
		}
	}

	@Test
	void aRedisUrlWithAPasswordIsFound() {
		assertThat(RedisUrls.withCredentials("CHAT_CLIENT_REDIS_URL: redis://cr-acme:s3cret@redis:6379"))
			.containsExactly("redis://cr-acme:s3cret@redis:6379");
		assertThat(RedisUrls.withCredentials("url: rediss://:${TENANT_A_REDIS_PASSWORD}@redis:6380/1")).hasSize(1);
		assertThat(RedisUrls.withCredentials("CHAT_CLIENT_REDIS_URL: redis://redis:6379")).isEmpty();
		assertThat(RedisUrls.isPlain("redis://cr-acme:s3cret@redis:6379")).isFalse();
		assertThat(RedisUrls.isPlain("rediss://redis.redis:6380/2")).isTrue();
	}

	@Test
	void theTenantUsersMayRunWhatTheClientSendsOnTheirOwnKeysOnly() {
		Map<String, String> primary = tenantUsers(services(yaml(BASE)).get("redis"));
		assertThat(primary).hasSize(2);
		assertThat(tenantUsers(services(yaml(SENTINEL)).get("redis-replica")))
			.as("the replica has the primary's tenant users (ACL users are not replicated)")
			.isEqualTo(primary);
		primary.forEach((user, rules) -> {
			String tenant = user.substring("cr-".length());
			List<String> tokens = List.of(rules.split("\\s+"));
			assertThat(tokens.stream().filter((token) -> token.startsWith("~"))).as(user + " key patterns")
				.containsExactly("~cr:{" + tenant + "}:*");
			assertThat(tokens.stream().filter((token) -> token.startsWith("&"))).as(user + " channel patterns")
				.containsExactly("&cr:{" + tenant + "}:*");
			assertThat(tokens.indexOf("resetchannels")).as(user + ": resetchannels before its channel")
				.isNotNegative()
				.isLessThan(tokens.indexOf("&cr:{" + tenant + "}:*"));
			assertThat(tokens).as(user).contains("+@all", "-@admin", "-@dangerous", "-scan", "-randomkey", "-pubsub");
			assertThat(tokens.stream().filter((token) -> token.startsWith("-")).map((token) -> token.substring(1)))
				.as(user + ": denies nothing the client sends")
				.noneMatch(CLIENT_NEEDS::contains);
		});
	}

	@Test
	void addsAReplicaAndThreeSentinelsAndPointsTheClientsAtThem() {
		Map<String, JsonNode> base = services(yaml(BASE));
		Map<String, JsonNode> services = services(yaml(SENTINEL));
		assertThat(text(services.get("redis-replica").path("command"))).contains("replicaof redis 6379",
				"masterauth $$REDIS_PASSWORD");
		assertThat(text(base.get("redis").path("command"))).as("a primary that may become a replica")
			.contains("masterauth $$REDIS_PASSWORD");
		long replicas = services.values()
			.stream()
			.filter((service) -> text(service.path("command")).contains("replicaof "))
			.count();

		String script = Repository.read(DIR.resolve("scripts/start-sentinel.sh"));
		Matcher monitor = SENTINEL_MONITOR.matcher(script);
		assertThat(monitor.find()).as("scripts/start-sentinel.sh: sentinel monitor <name> <host> <port> <quorum>")
			.isTrue();
		String master = monitor.group(1);
		assertThat(monitor.group(2) + ":" + monitor.group(3)).as("the Sentinels watch compose.yaml's Redis")
			.isEqualTo("redis:6379");
		Matcher port = SENTINEL_PORT.matcher(script);
		assertThat(port.find()).as("scripts/start-sentinel.sh: port").isTrue();
		List<String> sentinels = services.keySet().stream().filter((name) -> name.startsWith("sentinel-")).toList();
		assertThat(sentinels).hasSize(3);
		sentinels.forEach((name) -> {
			assertThat(texts(services.get(name).path("expose"))).as(name).contains(port.group(1));
			assertThat(environment(services.get(name)).get("SENTINEL_HOSTNAME")).as(name).isEqualTo(name);
		});
		List<String> sentinelNodes = sentinels.stream().map((name) -> name + ":" + port.group(1)).toList();

		Map<String, JsonNode> clients = clients(yaml(BASE));
		assertThat(clients).isNotEmpty();
		clients.forEach((name, service) -> {
			JsonNode override = services.get(name);
			assertThat(override).as(name + " in compose.sentinel.yaml").isNotNull();
			Map<String, String> environment = environment(service);
			environment.putAll(environment(override));
			assertThat(environment.get("CHAT_CLIENT_REDIS_MODE")).as(name + " CHAT_CLIENT_REDIS_MODE")
				.isEqualTo("sentinel");
			assertThat(environment.get("CHAT_CLIENT_REDIS_SENTINEL_MASTER"))
				.as(name + " CHAT_CLIENT_REDIS_SENTINEL_MASTER: the name the Sentinels monitor")
				.isEqualTo(master);
			List<String> nodes = Stream.of(environment.getOrDefault("CHAT_CLIENT_REDIS_SENTINEL_NODES", "").split(","))
				.map(String::strip)
				.toList();
			assertThat(nodes).as(name + " CHAT_CLIENT_REDIS_SENTINEL_NODES: the Sentinels, each once")
				.containsExactlyInAnyOrderElementsOf(sentinelNodes);
			String acknowledgeReplicas = environment.get("CHAT_CLIENT_REDIS_ACKNOWLEDGE_REPLICAS");
			assertThat(acknowledgeReplicas).as(name + " CHAT_CLIENT_REDIS_ACKNOWLEDGE_REPLICAS").matches("\\d+");
			assertThat(Integer.parseInt(acknowledgeReplicas))
				.as(name + ": replicas that confirm a callback, at least one and no more than there are")
				.isBetween(1, (int) replicas);
			Map<String, String> own = environment(service);
			assertThat(environment).as(name + ": the tenant's Redis user and password stay")
				.containsEntry("CHAT_CLIENT_REDIS_USERNAME", own.get("CHAT_CLIENT_REDIS_USERNAME"))
				.containsEntry("CHAT_CLIENT_REDIS_PASSWORD", own.get("CHAT_CLIENT_REDIS_PASSWORD"));
			assertThat(own.get("CHAT_CLIENT_REDIS_USERNAME")).as(name).isNotBlank();
			sentinels.forEach((sentinel) -> assertThat(override.at("/depends_on/" + sentinel + "/condition").asText())
				.as(name + " starts once " + sentinel + " is healthy")
				.isEqualTo("service_healthy"));
		});
	}

	private static Map<String, String> tenantUsers(JsonNode redis) {
		Map<String, String> users = new LinkedHashMap<>();
		Matcher matcher = TENANT_USER.matcher(text(redis.path("command")));
		while (matcher.find()) {
			users.put(matcher.group(1).replace("$$", ""), matcher.group(2).replace("$$", "").strip());
		}
		return users;
	}

	/**
	 * The variable a value names: {@code TENANT_A_ID} of {@code ${TENANT_A_ID:?...}}.
	 */
	private static String variableOf(String value) {
		Matcher matcher = VARIABLE.matcher(String.valueOf(value));
		assertThat(matcher.find()).as(value + " names a variable").isTrue();
		return matcher.group(1);
	}

	/**
	 * The chat-client services of a compose file.
	 */
	private static Map<String, JsonNode> clients(JsonNode compose) {
		Map<String, JsonNode> clients = new LinkedHashMap<>();
		nodes(compose).forEach((name, service) -> {
			if (environment(service).containsKey("CHAT_CLIENT_TENANT_ID")) {
				clients.put(name, service);
			}
		});
		return clients;
	}

	/**
	 * Every variable the compose files substitute.
	 */
	private static Set<String> variables() {
		Set<String> names = new LinkedHashSet<>();
		for (Path file : List.of(BASE, SENTINEL)) {
			String uncommented = Repository.read(file)
				.lines()
				.filter((line) -> !line.strip().startsWith("#"))
				.collect(Collectors.joining("\n"));
			Matcher matcher = VARIABLE.matcher(uncommented.replace("$$", ""));
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

	/**
	 * A value as docker-compose would make it with no variable set: the default of
	 * {@code ${NAME:-default}}, nothing for the others.
	 */
	private static String withDefaults(String value) {
		Matcher matcher = VARIABLE.matcher(value);
		StringBuilder resolved = new StringBuilder();
		while (matcher.find()) {
			String replacement = "-".equals(matcher.group(2)) ? matcher.group(3) : "";
			matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(resolved);
		return resolved.toString();
	}

	private static JsonNode yaml(Path file) {
		try {
			return new YAMLMapper().readTree(Repository.read(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Map<String, JsonNode> services(JsonNode compose) {
		Map<String, JsonNode> services = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : compose.path("services").properties()) {
			services.put(field.getKey(), field.getValue());
		}
		return services;
	}

	/**
	 * The chat-client and chat-provider services (not the one-shot jobs).
	 */
	private static Map<String, JsonNode> nodes(JsonNode compose) {
		Map<String, JsonNode> nodes = new LinkedHashMap<>();
		services(compose).forEach((name, service) -> {
			if (service.path("image").asText().startsWith("chatrelay/chat-") && !service.has("entrypoint")) {
				nodes.put(name, service);
			}
		});
		return nodes;
	}

	private static Map<String, String> environment(JsonNode service) {
		Map<String, String> environment = new LinkedHashMap<>();
		JsonNode node = service.path("environment");
		if (node.isObject()) {
			node.properties().forEach((field) -> environment.put(field.getKey(), field.getValue().asText()));
		}
		else {
			for (String entry : texts(node)) {
				String[] parts = entry.split("=", 2);
				environment.put(parts[0], (parts.length > 1) ? parts[1] : "");
			}
		}
		return environment;
	}

	private static Map<String, String> envFile(Path file) {
		Map<String, String> variables = new LinkedHashMap<>();
		for (String line : Repository.read(file).split("\\R")) {
			String entry = line.strip();
			if (!entry.isEmpty() && !entry.startsWith("#") && entry.contains("=")) {
				String[] parts = entry.split("=", 2);
				variables.put(parts[0].strip(), parts[1].strip());
			}
		}
		return variables;
	}

	private static List<String> names(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

	private static List<String> texts(JsonNode node) {
		List<String> texts = new ArrayList<>();
		if (node.isArray()) {
			node.forEach((item) -> texts.add(item.asText()));
		}
		else if (!node.isMissingNode() && !node.isNull()) {
			texts.add(node.asText());
		}
		return texts;
	}

	private static String text(JsonNode node) {
		return String.join(" ", texts(node));
	}

}
