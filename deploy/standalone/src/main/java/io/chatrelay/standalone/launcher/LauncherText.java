package io.chatrelay.standalone.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.chatrelay.standalone.infra.RoutingPublisher;
import io.chatrelay.standalone.standin.FailureMode;
import io.chatrelay.standalone.standin.StandInVendor;
import io.chatrelay.standalone.standin.VendorStandIn;

/**
 * What the standalone launcher tells a person: the ready banner and {@code --help}.
 */
final class LauncherText {

	private static final String RULE = "==================================================================";

	private static final String INDENT = "               ";

	/** The launcher sub-command that runs {@link RoutingPublisher}. */
	static final String PUBLISH_ROUTING = "publish-routing";

	static final String PUBLISH_WORDS = "publish-words";

	private LauncherText() {
	}

	/**
	 * The banner logged once everything is ready.
	 * @param settings the launcher settings
	 * @param standIn the LLM stand-in, or {@code null} if every vendor is real
	 * @param registry the registry address
	 * @param redisUrl the Redis URL (masked here)
	 * @param providers the provider nodes
	 * @param client the client node
	 * @param managementPassword the file holding the client's management password
	 * @return the banner, starting with a newline
	 */
	static String banner(LauncherSettings settings, VendorStandIn standIn, String registry, String redisUrl,
			List<NodeProcess> providers, NodeProcess client, Path managementPassword) {
		int port = settings.clientPort();
		String body = "'{\"conversationId\":\"c1\",\"userId\":\"u1\",\"message\":\"hi\"}'";
		List<String> providerList = new ArrayList<>();
		for (int i = 1; i <= providers.size(); i++) {
			NodeProcess provider = providers.get(i - 1);
			providerList.add(provider.name() + " (Dubbo " + settings.providerDubboPort(i) + ", actuator "
					+ provider.httpPort() + ", pid " + provider.pid() + ")");
		}
		List<String> lines = new ArrayList<>(List.of("", RULE,
				" ChatRelay is ready (tenant " + settings.tenantId() + ")",
				" Web channel:  http://localhost:" + port + "/api/v1/chat  and  /api/v1/chat/stream (SSE)", " Try:",
				"   curl -s localhost:" + port + "/api/v1/chat -H 'content-type: application/json' -d " + body,
				"   curl -sN localhost:" + port + "/api/v1/chat/stream -H 'content-type: application/json' -d "
						+ body));
		boolean anonymous = !"false"
			.equalsIgnoreCase(settings.clientNodeProperties().getOrDefault(StandaloneLauncher.ANONYMOUS, "true"));
		lines.add(" Access:       " + (anonymous
				? "ANONYMOUS MODE: callers name themselves (userId); safe only because everything listens on 127.0.0.1"
				: "a bearer token or API key is required (docs/security.md)"));
		NodeManagement management = client.management();
		if (management != null) {
			lines.add(" Metrics:      curl -s -u " + management.username() + ":$(cat " + managementPassword + ") "
					+ management.url() + "/actuator/prometheus");
		}
		List<String> vendors = settings.llm().describe(standIn);
		lines.add(" LLMs:         " + vendors.get(0));
		vendors.subList(1, vendors.size()).forEach((line) -> lines.add(INDENT + line));
		if (standIn != null) {
			String failures = "localhost:" + standIn.port() + VendorStandIn.FAILURES_PATH;
			lines.add(INDENT + "the stand-in answers \"You said: <message> (turn <n>)\"");
			lines.add(" Break a vendor: curl -s -XPOST '" + failures + "/" + VendorStandIn.OPENAI
					+ "?mode=503'   (modes: " + FailureMode.wireNames() + ")");
			lines.add(" Heal it:        curl -s -XPOST '" + failures + "/" + VendorStandIn.OPENAI
					+ "?mode=none'   list: curl -s " + failures);
		}
		boolean credentials = settings.registry().username() != null;
		lines.add(" Degrade:      " + (credentials ? "REGISTRY_USERNAME=… REGISTRY_PASSWORD=… " : "")
				+ "java -jar deploy/standalone/target/chat-relay-standalone.jar " + PUBLISH_ROUTING + " <routing.yaml> "
				+ (registry.startsWith("zookeeper://") ? registry.substring("zookeeper://".length()) : registry));
		lines.addAll(
				List.of(" Registry:     " + registry, " Redis:        " + Secrets.maskUrl(redisUrl),
						" Providers:    " + String.join(", ", providerList), " Client:       " + client.name()
								+ " (HTTP " + client.httpPort() + ", pid " + client.pid() + ")",
						" Logs:         " + settings.logDir(), " Stop:         Ctrl-C", RULE));
		return String.join("\n", lines);
	}

	/**
	 * The {@code --help} text.
	 * @return the usage, starting with a newline
	 */
	static String usage() {
		String failures = VendorStandIn.FAILURES_PATH;
		List<String> lines = new ArrayList<>(List.of("",
				"ChatRelay standalone: ZooKeeper, Redis, an LLM stand-in ("
						+ String.join(", ", StandInVendor.displayNames()) + "), providers",
				"and a client on this machine, all on 127.0.0.1.", "",
				"Usage: deploy/standalone/run.sh [--key=value] [--provider:key=value] [--client:key=value]",
				"  --key=value           a Spring property for every node",
				"  --provider:key=value  a Spring property for the providers",
				"  --client:key=value    a Spring property for the client",
				"   or: java -jar chat-relay-standalone.jar " + PUBLISH_ROUTING + " <file.yaml|-> [address]",
				"                        publish the routing document (flip degrade) to ZooKeeper "
						+ RoutingPublisher.ZNODE,
				"                        or, for a nacos:// address (default $REGISTRY), through the Nacos Open API",
				"   or: java -jar chat-relay-standalone.jar " + PUBLISH_WORDS + " <file.yaml|-> [address]",
				"                        publish the providers' word lists (key " + RoutingPublisher.WORDS_KEY + ")",
				"", "Stand-in failures at run time: POST localhost:$STANDIN_PORT" + failures + "/<vendor>?mode=<mode>",
				"  (vendor " + String.join(", ", StandInVendor.ids()) + " or all; GET " + failures + " lists them)", "",
				"Environment (default):",
				"  CHATRELAY_HOME          work dir with logs/, zk/, redis/, run/ (./.chatrelay)",
				"  ZK_PORT                 embedded ZooKeeper (2181)",
				"  REGISTRY                your own registry instead: nacos://host:port[?namespace=<id>]",
				"                          or zookeeper://host:port (no credentials in it)",
				"  REGISTRY_USERNAME       with REGISTRY: the Nacos user (authentication on)",
				"  REGISTRY_PASSWORD       with REGISTRY_USERNAME: its password (from a secret store,",
				"                          never on a command line)",
				"  REDIS_URL               use this Redis instead of the embedded one",
				"  REDIS_PORT              embedded Redis (6379)",
				"  OPENAI_API_KEY          call the real OpenAI instead of the stand-in",
				"  OPENAI_BASE_URL         with OPENAI_API_KEY (https://api.openai.com/v1)",
				"  ZHIPU_API_KEY           call the real Zhipu (plain key or id.secret)",
				"  ZHIPU_BASE_URL          with ZHIPU_API_KEY (https://open.bigmodel.cn/api/paas/v4)",
				"  QIANFAN_API_KEY         call the real Qianfan v2 (bce-v3/...)",
				"  QIANFAN_ACCESS_KEY      with QIANFAN_SECRET_KEY: call the real Qianfan v1 (AK/SK)",
				"  QIANFAN_BASE_URL        (https://qianfan.baidubce.com/v2, v1: https://aip.baidubce.com)",
				"  STANDIN_PORT            LLM stand-in, every vendor on one port (18000)",
				"  STANDIN_TOKEN_DELAY_MS  stand-in delay per streamed token (20)"));
		lines.addAll(failureVariables(failures));
		lines.addAll(List.of("  STANDIN_SLOW_MS         pause of the slow mode (5000)",
				"  PROVIDER_COUNT          providers (2)",
				"  PROVIDER_DUBBO_PORT     Dubbo port of provider 1, +1 for each next (50051)",
				"  PROVIDER_HTTP_PORT      actuator port of provider 1, +1 for each next (8081)",
				"  CLIENT_PORT             client HTTP (8080)", "  CHAT_TENANT_ID          client tenant (demo)",
				"  NODE_MAX_HEAP           -Xmx of each node (384m)", "  READY_TIMEOUT_SECONDS   per node (180)", "",
				"System property -D" + LauncherSettings.NODES_DIR_PROPERTY
						+ ": directory with chat-provider.jar and chat-client.jar",
				"(default: nodes/ next to the launcher jar)."));
		return String.join("\n", lines);
	}

	/** One {@code STANDIN_FAIL_<VENDOR>} line per vendor of the stand-in. */
	private static List<String> failureVariables(String failures) {
		List<String> notes = List.of("start a stand-in vendor failing: " + FailureMode.wireNames(),
				"(likewise; change at run time with POST " + failures + "/<vendor>)");
		List<String> vendors = StandInVendor.ids();
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < vendors.size(); i++) {
			String note = (i < notes.size()) ? notes.get(i) : "(likewise)";
			lines.add(String.format(Locale.ROOT, "  %-24s%s", LlmSettings.failureVariable(vendors.get(i)), note));
		}
		return lines;
	}

}
