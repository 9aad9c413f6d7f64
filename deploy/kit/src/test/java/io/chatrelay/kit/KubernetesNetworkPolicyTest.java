package io.chatrelay.kit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s's NetworkPolicies, evaluated against the rendered pods and namespaces: only
 * chat-client pods, in the tenants' namespaces, reach the providers' Dubbo port, and
 * monitoring reaches the actuator ports.
 */
class KubernetesNetworkPolicyTest {

	/** A Prometheus pod in a namespace labelled as monitoring. */
	private static final Pod MONITORING_POD = new Pod("a monitoring pod", "monitoring",
			Map.of("app.kubernetes.io/part-of", "monitoring", "kubernetes.io/metadata.name", "monitoring"),
			Map.of("app.kubernetes.io/name", "prometheus"));

	@Test
	void onlyClientPodsOfTheTenantsReachTheProvidersDubboPort() {
		Manifests platform = Kustomize.kit().get("platform");
		Deployment provider = node(platform, Node.PROVIDER);
		Container container = provider.getSpec().getTemplate().getSpec().getContainers().get(0);
		int dubbo = dubboPort(container);
		List<Rule> admitting = admitting(platform, provider, dubbo);
		assertThat(admitting).as("an ingress rule for port " + dubbo + " of the provider pods").isNotEmpty();

		List<Pod> clients = new ArrayList<>();
		List<Pod> others = new ArrayList<>();
		Kustomize.kit().forEach((overlay, manifests) -> {
			Namespace namespace = namespace(manifests);
			manifests.podTemplates().forEach((owner, template) -> {
				Pod pod = new Pod(overlay + " " + owner, namespace.getMetadata().getName(), labels(namespace),
						template.getMetadata().getLabels());
				boolean client = template.getSpec()
					.getContainers()
					.stream()
					.anyMatch((each) -> Node.of(each.getImage()).filter(Node.CLIENT::equals).isPresent());
				(client ? clients : others).add(pod);
			});
		});
		assertThat(clients).as("client pods in the tenant overlays").isNotEmpty();
		for (Rule rule : admitting) {
			assertThat(rule.ingress().getFrom()).as("a rule admitting port " + dubbo + " names its sources")
				.isNotEmpty();
			for (NetworkPolicyPeer peer : rule.ingress().getFrom()) {
				assertThat(peer.getIpBlock()).as("no address block reaches port " + dubbo).isNull();
				assertThat(peer.getPodSelector()).as("sources of port " + dubbo + " are pods").isNotNull();
			}
		}
		for (Pod other : others) {
			assertThat(admitting.stream().anyMatch((rule) -> rule.admits(other)))
				.as(other.name() + " reaches port " + dubbo)
				.isFalse();
		}
		assertThat(admitting.stream().anyMatch((rule) -> rule.admits(MONITORING_POD)))
			.as("monitoring reaches port " + dubbo)
			.isFalse();
		for (Pod client : clients) {
			assertThat(admitting.stream().anyMatch((rule) -> rule.admits(client)))
				.as(client.name() + " reaches the providers' port " + dubbo)
				.isTrue();
		}
	}

	@Test
	void monitoringReachesTheActuatorPortsOfEveryNode() {
		Kustomize.kit().forEach((overlay, manifests) -> {
			for (Node node : Node.values()) {
				Deployment deployment = manifests.find(Deployment.class, node.artifact()).orElse(null);
				if (deployment == null) {
					continue;
				}
				Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
				int actuator = Pods.port(container, new IntOrString((node == Node.CLIENT) ? "management" : "http"))
					.orElseThrow();
				assertThat(admitting(manifests, deployment, actuator).stream()
					.anyMatch((rule) -> rule.admits(MONITORING_POD)))
					.as(overlay + " " + node + " port " + actuator + " from monitoring")
					.isTrue();
			}
		});
	}

	/**
	 * The ingress rules of the policies selecting the Deployment's pods that admit the
	 * port.
	 */
	private static List<Rule> admitting(Manifests manifests, Deployment deployment, int port) {
		PodTemplateSpec template = deployment.getSpec().getTemplate();
		Container container = template.getSpec().getContainers().get(0);
		List<NetworkPolicy> policies = manifests.all(NetworkPolicy.class)
			.stream()
			.filter((policy) -> Selectors.selects(policy.getSpec().getPodSelector(),
					template.getMetadata().getLabels()))
			.toList();
		assertThat(policies).as("NetworkPolicies selecting " + deployment.getMetadata().getName()).isNotEmpty();
		List<Rule> rules = new ArrayList<>();
		for (NetworkPolicy policy : policies) {
			assertThat(policy.getSpec().getPolicyTypes()).as(policy.getMetadata().getName()).contains("Ingress");
			for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
				if (rule.getPorts().isEmpty()
						|| rule.getPorts().stream().anyMatch((each) -> covers(each, container, port))) {
					rules.add(new Rule(policy.getMetadata().getNamespace(), rule));
				}
			}
		}
		return rules;
	}

	private static boolean covers(NetworkPolicyPort rule, Container container, int port) {
		if (rule.getProtocol() != null && !"TCP".equals(rule.getProtocol())) {
			return false;
		}
		if (rule.getPort() == null) {
			return true;
		}
		int from = Pods.port(container, rule.getPort()).orElse(-1);
		int to = (rule.getEndPort() != null) ? rule.getEndPort() : from;
		return from <= port && port <= to;
	}

	private static Namespace namespace(Manifests manifests) {
		List<Namespace> namespaces = manifests.all(Namespace.class);
		assertThat(namespaces).as("each overlay creates its namespace").hasSize(1);
		return namespaces.get(0);
	}

	/** A namespace's labels, with the one Kubernetes adds to every namespace. */
	private static Map<String, String> labels(Namespace namespace) {
		Map<String, String> labels = new HashMap<>(namespace.getMetadata().getLabels());
		labels.put("kubernetes.io/metadata.name", namespace.getMetadata().getName());
		return labels;
	}

	private static Deployment node(Manifests manifests, Node node) {
		return manifests.find(Deployment.class, node.artifact()).orElseThrow();
	}

	private static int dubboPort(Container container) {
		int configured = Integer
			.parseInt(NodeMetadata.of(Node.PROVIDER).applicationProperties().get("dubbo.protocol.port"));
		int declared = Pods.port(container, new IntOrString("dubbo")).orElseThrow();
		assertThat(declared).as("the container port named dubbo is dubbo.protocol.port").isEqualTo(configured);
		return declared;
	}

	/**
	 * A pod as a NetworkPolicy sees it.
	 *
	 * @param name for messages
	 * @param namespace its namespace
	 * @param namespaceLabels its namespace's labels
	 * @param labels its own labels
	 */
	private record Pod(String name, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {

	}

	/**
	 * An ingress rule of a policy in a namespace.
	 *
	 * @param namespace the policy's namespace
	 * @param ingress the rule
	 */
	private record Rule(String namespace, NetworkPolicyIngressRule ingress) {

		/**
		 * Whether the rule admits the pod (an empty {@code from} admits every source).
		 */
		boolean admits(Pod pod) {
			return this.ingress.getFrom().isEmpty()
					|| this.ingress.getFrom().stream().anyMatch((peer) -> admits(peer, pod));
		}

		private boolean admits(NetworkPolicyPeer peer, Pod pod) {
			if (peer.getIpBlock() != null) {
				return true;
			}
			boolean namespace = (peer.getNamespaceSelector() != null)
					? Selectors.selects(peer.getNamespaceSelector(), pod.namespaceLabels())
					: this.namespace.equals(pod.namespace());
			return namespace
					&& (peer.getPodSelector() == null || Selectors.selects(peer.getPodSelector(), pod.labels()));
		}

	}

}
