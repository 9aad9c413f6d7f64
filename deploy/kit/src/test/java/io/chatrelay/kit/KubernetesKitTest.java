package io.chatrelay.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s, rendered with kubectl's Kustomize and read into fabric8's typed models: the
 * workloads are safe to run (probes, resources, the restricted security context, a grace
 * period longer than the nodes' shutdown), each Deployment has its disruption budget and
 * autoscaler, images are pinned, no secret is written into the kit, and the routing seed
 * publishes the checked-in document.
 */
class KubernetesKitTest {

	private static final long RUN_AS_USER = 10001;

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(PASSWORD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE|CREDENTIAL).*");

	@Test
	void theKitHasThePlatformAndTenantsAndRendersIntoKnownFieldsOnly() {
		Map<String, Manifests> kit = Kustomize.kit();
		assertThat(kit).containsKey("platform");
		assertThat(kit.keySet()).anyMatch((overlay) -> overlay.startsWith("tenant-"));
		kit.forEach((overlay, manifests) -> assertThat(manifests.unknownFields()).as(overlay).isEmpty());
	}

	@Test
	void aMisspeltFieldIsFoundByTheTypedModels() {
		Manifests manifests = Manifests.parse("""
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: chat-client}
				spec:
				  template:
				    spec:
				      containers:
				        - name: chat-client
				          readinesProbe: {httpGet: {path: /actuator/health/readiness, port: http}}
				""");
		assertThat(manifests.unknownFields())
			.containsExactly("Deployment chat-client.spec.template.spec.containers[0]: [readinesProbe]");
	}

	@Test
	void eachOverlayRunsItsNodesAndOnlyThePlatformRunsProviders() {
		Kustomize.kit().forEach((overlay, manifests) -> {
			List<String> images = nodeDeployments(manifests).stream()
				.map((deployment) -> deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
				.toList();
			if (overlay.equals("platform")) {
				assertThat(images).as(overlay).containsExactly("chatrelay/chat-provider:0.1.0");
			}
			else {
				assertThat(images).as(overlay).containsExactly("chatrelay/chat-client:0.1.0");
			}
		});
	}

	@Test
	void everyNodeContainerProbesTheActuatorOnAPortThatServesIt() {
		forEachNodeContainer((where, node, container, manifests) -> {
			assertThat(container.getStartupProbe()).as(where + " startupProbe").isNotNull();
			assertThat(container.getReadinessProbe()).as(where + " readinessProbe").isNotNull();
			assertThat(container.getLivenessProbe()).as(where + " livenessProbe").isNotNull();
			assertThat(path(container.getReadinessProbe())).as(where + " readiness")
				.isEqualTo("/actuator/health/readiness");
			assertThat(path(container.getLivenessProbe())).as(where + " liveness")
				.isEqualTo("/actuator/health/liveness");
			assertThat(path(container.getStartupProbe())).as(where + " startup")
				.isIn("/actuator/health/liveness", "/actuator/health/readiness");
			Set<Integer> actuatorPorts = actuatorPorts(node, container, manifests);
			for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(),
					container.getLivenessProbe())) {
				assertThat(Pods.port(container, probe.getHttpGet().getPort())).as(where + " probe port")
					.hasValueSatisfying((port) -> assertThat(port).isIn(actuatorPorts));
			}
		});
	}

	@Test
	void everyContainerHasCpuAndMemoryRequestsAndLimits() {
		forEachContainer((where, spec, container) -> {
			ResourceRequirements resources = container.getResources();
			assertThat(resources).as(where).isNotNull();
			assertThat(resources.getRequests()).as(where + " requests").containsKeys("cpu", "memory");
			assertThat(resources.getLimits()).as(where + " limits").containsKeys("cpu", "memory");
			assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")))
				.as(where + " memory limit ≥ request")
				.isGreaterThanOrEqualTo(Quantity.getAmountInBytes(resources.getRequests().get("memory")));
		});
	}

	@Test
	void everyContainerRunsUnderTheRestrictedSecurityContext() {
		forEachContainer((where, spec, container) -> {
			PodSecurityContext pod = (spec.getSecurityContext() != null) ? spec.getSecurityContext()
					: new PodSecurityContext();
			SecurityContext own = (container.getSecurityContext() != null) ? container.getSecurityContext()
					: new SecurityContext();
			assertThat(either(own.getRunAsNonRoot(), pod.getRunAsNonRoot())).as(where + " runAsNonRoot").isTrue();
			assertThat(either(own.getRunAsUser(), pod.getRunAsUser())).as(where + " runAsUser").isEqualTo(RUN_AS_USER);
			assertThat(own.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
			assertThat(own.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
			assertThat(Optional.ofNullable(own.getCapabilities()).map(Capabilities::getDrop).orElse(List.of()))
				.as(where + " capabilities.drop")
				.contains("ALL");
			assertThat(Optional.ofNullable(own.getCapabilities()).map(Capabilities::getAdd).orElse(List.of()))
				.as(where + " capabilities.add")
				.isEmpty();
			String seccomp = (own.getSeccompProfile() != null) ? own.getSeccompProfile().getType()
					: (pod.getSeccompProfile() != null) ? pod.getSeccompProfile().getType() : null;
			assertThat(seccomp).as(where + " seccompProfile").isEqualTo("RuntimeDefault");
			assertThat(mountedEmptyDir(spec, container, "/tmp")).as(where + " an emptyDir at /tmp").isTrue();
			assertThat(spec.getAutomountServiceAccountToken()).as(where + " automountServiceAccountToken").isFalse();
		});
	}

	@Test
	void theGracePeriodOutlastsTheNodesGracefulShutdown() {
		forEachNodeContainer((where, node, container, manifests) -> {
			PodSpec spec = podSpecOf(manifests, container);
			Duration phase = duration(
					NodeMetadata.of(node).applicationProperties().get("spring.lifecycle.timeout-per-shutdown-phase"));
			long preStop = (container.getLifecycle() != null && container.getLifecycle().getPreStop() != null
					&& container.getLifecycle().getPreStop().getSleep() != null)
							? container.getLifecycle().getPreStop().getSleep().getSeconds() : 0;
			// The client drains its web server (one phase), then its inbox workers finish
			// the answers in flight
			// (dispatch/InboxWorker: up to 20 s, the same again); the provider has one
			// phase.
			long needed = preStop + phase.toSeconds() * ((node == Node.CLIENT) ? 2 : 1);
			assertThat(spec.getTerminationGracePeriodSeconds()).as(where + " terminationGracePeriodSeconds")
				.isGreaterThan(needed);
		});
	}

	@Test
	void everyDeploymentHasADisruptionBudgetAndACpuAutoscaler() {
		Kustomize.kit().forEach((overlay, manifests) -> {
			for (Deployment deployment : manifests.all(Deployment.class)) {
				String where = overlay + " Deployment " + deployment.getMetadata().getName();
				Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
				List<PodDisruptionBudget> budgets = manifests.all(PodDisruptionBudget.class)
					.stream()
					.filter((pdb) -> Selectors.selects(pdb.getSpec().getSelector(), labels))
					.toList();
				assertThat(budgets).as(where + " PodDisruptionBudget").hasSize(1);
				assertThat(budgets.get(0).getSpec().getMaxUnavailable()).as(where + " maxUnavailable").isNotNull();
				List<HorizontalPodAutoscaler> autoscalers = manifests.all(HorizontalPodAutoscaler.class)
					.stream()
					.filter((hpa) -> hpa.getSpec().getScaleTargetRef().getKind().equals("Deployment")
							&& hpa.getSpec().getScaleTargetRef().getName().equals(deployment.getMetadata().getName()))
					.toList();
				assertThat(autoscalers).as(where + " HorizontalPodAutoscaler").hasSize(1);
				assertThat(deployment.getSpec().getReplicas()).as(where + " replicas, left to the autoscaler").isNull();
				HorizontalPodAutoscaler hpa = autoscalers.get(0);
				assertThat(hpa.getSpec().getMinReplicas()).as(where + " minReplicas").isGreaterThanOrEqualTo(2);
				assertThat(hpa.getSpec().getMaxReplicas()).as(where + " maxReplicas")
					.isGreaterThanOrEqualTo(hpa.getSpec().getMinReplicas());
				assertThat(hpa.getSpec().getMetrics()).as(where + " cpu metric")
					.anyMatch((MetricSpec metric) -> "Resource".equals(metric.getType())
							&& "cpu".equals(metric.getResource().getName())
							&& metric.getResource().getTarget().getAverageUtilization() != null);
			}
		});
	}

	@Test
	void imagesArePinned() {
		forEachContainer((where, spec, container) -> {
			String image = container.getImage();
			int slash = image.lastIndexOf('/');
			String tag = image.contains("@") ? "digest"
					: image.substring(slash + 1).contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
			assertThat(tag).as(where + " image " + image + " tag").isNotEmpty().isNotEqualTo("latest");
		});
	}

	@Test
	void noSecretIsWrittenIntoTheKit() {
		Kustomize.kit().forEach((overlay, manifests) -> {
			for (Secret secret : manifests.all(Secret.class)) {
				assertThat(secret.getData()).as(overlay + " Secret " + secret.getMetadata().getName()).isNullOrEmpty();
				assertThat(secret.getStringData()).as(overlay + " Secret " + secret.getMetadata().getName())
					.isNullOrEmpty();
			}
			for (ConfigMap map : manifests.all(ConfigMap.class)) {
				assertThat(map.getData().keySet()).as(overlay + " ConfigMap " + map.getMetadata().getName())
					.noneMatch((key) -> SECRET_NAME.matcher(key).matches());
			}
		});
		forEachContainer((where, spec, container) -> {
			for (EnvVar env : container.getEnv()) {
				if (SECRET_NAME.matcher(env.getName()).matches()) {
					assertThat(env.getValueFrom()).as(where + " " + env.getName() + " from a Secret").isNotNull();
					assertThat(env.getValueFrom().getSecretKeyRef()).as(where + " " + env.getName()).isNotNull();
				}
			}
		});
	}

	@Test
	void nacosCredentialsComeFromASecretNeverFromTheRegistryUrl() {
		forEachNodeContainer((where, node, container, manifests) -> {
			Map<String, String> environment = Pods.environment(container, manifests);
			assertThat(environment.get("DUBBO_REGISTRY_ADDRESS")).as(where + " DUBBO_REGISTRY_ADDRESS")
				.startsWith("nacos://")
				.doesNotContainIgnoringCase("username=")
				.doesNotContainIgnoringCase("password=");
			assertThat(environment).as(where)
				.containsEntry("DUBBO_REGISTRY_USERNAME", "<secret nacos-credentials/username>")
				.containsEntry("DUBBO_REGISTRY_PASSWORD", "<secret nacos-credentials/password>");
		});
	}

	@Test
	void theClientsRedisUserAndPasswordComeFromASecretNeverFromTheUrl() {
		forEachNodeContainer((where, node, container, manifests) -> {
			Map<String, String> environment = Pods.environment(container, manifests);
			environment.forEach((name, value) -> assertThat(RedisUrls.withCredentials(String.valueOf(value)))
				.as(where + " " + name + ": Redis URLs with user-info")
				.isEmpty());
			for (ConfigMap map : manifests.all(ConfigMap.class)) {
				map.getData()
					.forEach((key, text) -> assertThat(RedisUrls.withCredentials(text))
						.as(where + " ConfigMap " + map.getMetadata().getName() + " " + key)
						.isEmpty());
			}
			if (node != Node.CLIENT) {
				return;
			}
			assertThat(environment).as(where)
				.containsEntry("CHAT_CLIENT_REDIS_USERNAME", "<secret chat-client-redis/username>")
				.containsEntry("CHAT_CLIENT_REDIS_PASSWORD", "<secret chat-client-redis/password>");
			String mode = environment.getOrDefault("CHAT_CLIENT_REDIS_MODE", "standalone")
				.strip()
				.toLowerCase(Locale.ROOT);
			switch (mode) {
				case "standalone" ->
					assertThat(RedisUrls.isPlain(environment.get("CHAT_CLIENT_REDIS_URL")))
						.as(where + " CHAT_CLIENT_REDIS_URL " + environment.get("CHAT_CLIENT_REDIS_URL")
								+ ": redis://host:port, no credentials")
						.isTrue();
				case "sentinel" -> {
					assertThat(environment.get("CHAT_CLIENT_REDIS_SENTINEL_MASTER")).as(where).isNotBlank();
					assertThat(environment.get("CHAT_CLIENT_REDIS_SENTINEL_NODES")).as(where)
						.matches("[\\w.-]+:\\d+(\\s*,\\s*[\\w.-]+:\\d+)*");
				}
				case "cluster" -> assertThat(environment.get("CHAT_CLIENT_REDIS_CLUSTER_NODES")).as(where)
					.matches("[\\w.-]+:\\d+(\\s*,\\s*[\\w.-]+:\\d+)*");
				default -> throw new AssertionError(
						where + " CHAT_CLIENT_REDIS_MODE " + mode + ": standalone, sentinel or cluster");
			}
		});
	}

	@Test
	void theApplicationYamlConfigMapIsMountedWhereSpringLooksForIt() {
		forEachNodeContainer((where, node, container, manifests) -> {
			PodSpec spec = podSpecOf(manifests, container);
			String locations = Pods.environment(container, manifests)
				.getOrDefault("SPRING_CONFIG_ADDITIONALLOCATION", "");
			for (VolumeMount mount : container.getVolumeMounts()) {
				Volume volume = volume(spec, mount.getName());
				if (volume.getConfigMap() != null
						&& DeploymentSettings.configMap(manifests, volume.getConfigMap().getName())
							.getData()
							.keySet()
							.stream()
							.anyMatch(ConfigFiles::isApplicationConfig)) {
					assertThat(locations).as(where + " spring.config.additional-location names " + mount.getMountPath())
						.contains("file:" + mount.getMountPath() + "/");
				}
			}
		});
	}

	@Test
	void theRoutingSeedJobPublishesTheCheckedInDocument() {
		String document = Repository.read(Repository.root().resolve("deploy/nacos/chat-relay-routing.yaml"));
		assertThat(Repository.read(Repository.k8s().resolve("overlays/platform/chat-relay-routing.yaml")))
			.as("overlays/platform/chat-relay-routing.yaml must stay a copy of deploy/nacos/chat-relay-routing.yaml")
			.isEqualTo(document);
		Manifests platform = Kustomize.kit().get("platform");
		List<Job> jobs = platform.all(Job.class);
		assertThat(jobs).as("the routing seed Job").hasSize(1);
		PodSpec spec = jobs.get(0).getSpec().getTemplate().getSpec();
		List<String> mounted = new ArrayList<>();
		boolean credentialsFromSecret = false;
		for (Volume volume : spec.getVolumes()) {
			if (volume.getConfigMap() != null) {
				mounted
					.addAll(DeploymentSettings.configMap(platform, volume.getConfigMap().getName()).getData().values());
			}
			credentialsFromSecret |= volume.getSecret() != null
					&& "nacos-credentials".equals(volume.getSecret().getSecretName());
		}
		assertThat(mounted).as("the routing document the Job publishes").contains(document);
		assertThat(mounted).as("the seed script")
			.anyMatch((text) -> text.contains("DATA_ID=chat-relay-routing.yaml") && text.contains("GROUP=chat-relay")
					&& text.contains("/auth/login") && text.contains("/cs/configs"));
		assertThat(credentialsFromSecret).as("Nacos credentials from the Secret nacos-credentials").isTrue();
	}

	private static Set<Integer> actuatorPorts(Node node, Container container, Manifests manifests) {
		Map<String, String> own = NodeMetadata.of(node).applicationProperties();
		Map<String, String> environment = Pods.environment(container, manifests);
		Set<Integer> ports = new java.util.HashSet<>();
		ports.add(Integer.parseInt(environment.getOrDefault("SERVER_PORT", own.get("server.port"))));
		String management = environment.getOrDefault("MANAGEMENT_SERVER_PORT", own.get("management.server.port"));
		if (management != null) {
			Matcher placeholder = Pattern.compile("\\$\\{[A-Z_]+:(\\d+)}").matcher(management);
			ports.add(Integer.parseInt(placeholder.matches() ? placeholder.group(1) : management));
		}
		return ports;
	}

	private static String path(Probe probe) {
		assertThat(probe.getHttpGet()).as("an HTTP probe").isNotNull();
		return probe.getHttpGet().getPath();
	}

	private static <T> T either(T own, T pod) {
		return (own != null) ? own : pod;
	}

	private static boolean mountedEmptyDir(PodSpec spec, Container container, String path) {
		return container.getVolumeMounts()
			.stream()
			.anyMatch((mount) -> path.equals(mount.getMountPath())
					&& volume(spec, mount.getName()).getEmptyDir() != null);
	}

	private static Volume volume(PodSpec spec, String name) {
		return spec.getVolumes()
			.stream()
			.filter((volume) -> volume.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume " + name));
	}

	private static Duration duration(String value) {
		Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value);
		assertThat(matcher.matches()).as("a duration: " + value).isTrue();
		long amount = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofHours(amount);
		};
	}

	private static List<Deployment> nodeDeployments(Manifests manifests) {
		return manifests.all(Deployment.class)
			.stream()
			.filter((deployment) -> deployment.getSpec()
				.getTemplate()
				.getSpec()
				.getContainers()
				.stream()
				.anyMatch((container) -> Node.of(container.getImage()).isPresent()))
			.toList();
	}

	private static PodSpec podSpecOf(Manifests manifests, Container container) {
		return manifests.podTemplates()
			.values()
			.stream()
			.filter((PodTemplateSpec template) -> template.getSpec().getContainers().contains(container))
			.findFirst()
			.orElseThrow()
			.getSpec();
	}

	private static void forEachContainer(ContainerCheck check) {
		Kustomize.kit().forEach((overlay, manifests) -> manifests.podTemplates().forEach((owner, template) -> {
			for (Container container : Pods.containers(template.getSpec())) {
				check.check(overlay + " " + owner + " container " + container.getName(), template.getSpec(), container);
			}
		}));
	}

	private static void forEachNodeContainer(NodeContainerCheck check) {
		Kustomize.kit().forEach((overlay, manifests) -> {
			for (Deployment deployment : manifests.all(Deployment.class)) {
				for (Container container : Pods.containers(deployment.getSpec().getTemplate().getSpec())) {
					Node.of(container.getImage())
						.ifPresent((node) -> check.check(overlay + " Deployment " + deployment.getMetadata().getName()
								+ " container " + container.getName(), node, container, manifests));
				}
			}
		});
	}

	@FunctionalInterface
	private interface ContainerCheck {

		void check(String where, PodSpec spec, Container container);

	}

	@FunctionalInterface
	private interface NodeContainerCheck {

		void check(String where, Node node, Container container, Manifests manifests);

	}

}
