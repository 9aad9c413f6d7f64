package io.chatrelay.kit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;

/**
 * What a container of a rendered overlay gets: its environment with ConfigMaps resolved,
 * its ports by name.
 */
final class Pods {

	private Pods() {
	}

	static List<Container> containers(PodSpec spec) {
		return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
	}

	/**
	 * The container's environment as far as the files tell: literal values and ConfigMap
	 * values; a variable from a Secret has the value {@code <secret name/key>}.
	 * @param container the container
	 * @param manifests the overlay it is in
	 * @return name to value
	 */
	static Map<String, String> environment(Container container, Manifests manifests) {
		Map<String, String> environment = new LinkedHashMap<>();
		for (EnvFromSource source : container.getEnvFrom()) {
			if (source.getConfigMapRef() != null) {
				ConfigMap map = DeploymentSettings.configMap(manifests, source.getConfigMapRef().getName());
				String prefix = (source.getPrefix() != null) ? source.getPrefix() : "";
				map.getData().forEach((key, value) -> environment.put(prefix + key, value));
			}
		}
		for (EnvVar env : container.getEnv()) {
			if (env.getValueFrom() == null) {
				environment.put(env.getName(), env.getValue());
			}
			else if (env.getValueFrom().getSecretKeyRef() != null) {
				environment.put(env.getName(), "<secret " + env.getValueFrom().getSecretKeyRef().getName() + "/"
						+ env.getValueFrom().getSecretKeyRef().getKey() + ">");
			}
			else if (env.getValueFrom().getConfigMapKeyRef() != null) {
				ConfigMap map = DeploymentSettings.configMap(manifests,
						env.getValueFrom().getConfigMapKeyRef().getName());
				environment.put(env.getName(), map.getData().get(env.getValueFrom().getConfigMapKeyRef().getKey()));
			}
		}
		return environment;
	}

	/**
	 * The container port a probe, Service or policy port means.
	 * @param container the container
	 * @param port a number or a port name
	 * @return the port number, if the container has it
	 */
	static Optional<Integer> port(Container container, IntOrString port) {
		for (ContainerPort each : container.getPorts()) {
			if ((port.getIntVal() != null && port.getIntVal().equals(each.getContainerPort()))
					|| (port.getStrVal() != null && port.getStrVal().equals(each.getName()))) {
				return Optional.of(each.getContainerPort());
			}
		}
		return Optional.empty();
	}

}
