package io.chatrelay.loadtest;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatrelay.loadtest.measure.ResourceSampler;
import io.chatrelay.loadtest.standin.LlmStandIn;
import io.chatrelay.loadtest.standin.PlatformStandIn;
import io.chatrelay.standalone.launcher.NodeManagement;

/**
 * What a run talks to: the client's base URL, the stand-ins in this JVM, and the node
 * JVMs whose memory is sampled.
 *
 * @param clientUrl {@code http://127.0.0.1:<port>} of the chat-client
 * @param llm the LLM stand-in the provider calls
 * @param platform the platform stand-in the client replies to
 * @param clientPid the client's process id, 0 if unknown
 * @param providerPid the provider's process id, 0 if unknown
 * @param providerActuatorUrl {@code http://127.0.0.1:<port>} of the provider's actuator,
 * or {@code null}
 * @param zooKeeper {@code host:port} of the config center, or {@code null}
 * @param clientManagement the client's management port and credentials, or {@code null}
 * @param providerManagement the credentials of the provider's actuator, or {@code null}
 * @param webKey the API key web chats carry, or {@code null} to send them anonymously
 */
record Environment(String clientUrl, LlmStandIn llm, PlatformStandIn platform, long clientPid, long providerPid,
		String providerActuatorUrl, String zooKeeper, NodeManagement clientManagement,
		NodeManagement providerManagement, WebApiKey webKey) {

	/**
	 * The {@code Authorization} header for the provider's actuator.
	 * @return the header value, or {@code null} without credentials
	 */
	String providerAuthorization() {
		return (this.providerManagement != null) ? this.providerManagement.authorization() : null;
	}

	/**
	 * Put the web API's credential on a request, if there is one.
	 * @param request a web chat being built
	 * @return the same builder
	 */
	HttpRequest.Builder authorize(HttpRequest.Builder request) {
		return (this.webKey != null) ? this.webKey.authorize(request) : request;
	}

	/**
	 * The processes whose CPU is measured: the client, the provider, redis-server (a
	 * child of this JVM when the tool started it) and this JVM (the load tool with
	 * ZooKeeper and the stand-ins).
	 * @return name to process id
	 */
	Map<String, Long> processes() {
		Map<String, Long> processes = new LinkedHashMap<>();
		processes.put("client", this.clientPid);
		processes.put("provider", this.providerPid);
		ProcessHandle.current()
			.children()
			.filter((child) -> child.info().command().orElse("").contains("redis-server"))
			.findFirst()
			.ifPresent((redis) -> processes.put("redis", redis.pid()));
		processes.put("loadtool", ProcessHandle.current().pid());
		return processes;
	}

	/**
	 * Fresh sampling targets: the client first, then the provider.
	 * @return the nodes
	 */
	List<ResourceSampler.Node> nodes() {
		ResourceSampler.Node client = (this.clientManagement != null)
				? new ResourceSampler.Node("client", this.clientPid, this.clientManagement.url(),
						this.clientManagement.authorization())
				: new ResourceSampler.Node("client", this.clientPid, null);
		return List.of(client, new ResourceSampler.Node("provider", this.providerPid, this.providerActuatorUrl,
				providerAuthorization()));
	}

}
