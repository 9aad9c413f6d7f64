package io.chatrelay.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * Every application setting a deployment file gives chat-client or chat-provider:
 * environment variables (literal, from a ConfigMap key, or every key of a ConfigMap in
 * {@code envFrom}), {@code application.yaml} files in ConfigMaps the container mounts,
 * and {@code --name=value} arguments. Keys of the operator's Secrets are not in the files
 * and are not seen.
 */
final class DeploymentSettings {

	private DeploymentSettings() {
	}

	/**
	 * One setting and where it is made.
	 *
	 * @param where the file, object and container, for the message
	 * @param node the node that reads it
	 * @param environment whether it is an environment variable (else a property name)
	 * @param name the variable or property
	 */
	record Setting(String where, Node node, boolean environment, String name) {

		Optional<String> problem() {
			PropertyNames names = PropertyNames.of(this.node);
			Optional<String> problem = this.environment ? names.checkEnvironmentVariable(this.name)
					: names.checkProperty(this.name);
			return problem.map((text) -> this.where + ": " + text);
		}

	}

	/**
	 * The settings of a rendered overlay's node containers.
	 * @param overlay the overlay's name, for messages
	 * @param manifests the rendered overlay
	 * @return its settings
	 */
	static List<Setting> of(String overlay, Manifests manifests) {
		List<Setting> settings = new ArrayList<>();
		manifests.podTemplates().forEach((owner, template) -> {
			PodSpec spec = template.getSpec();
			for (Container container : Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream())
				.toList()) {
				Optional<Node> node = Node.of(container.getImage());
				if (node.isEmpty()) {
					continue; // the routing seed's curl: not a Spring application
				}
				String where = "deploy/k8s/overlays/" + overlay + " " + owner + " container " + container.getName();
				for (EnvVar env : container.getEnv()) {
					settings.add(new Setting(where + " env", node.get(), true, env.getName()));
				}
				for (EnvFromSource source : container.getEnvFrom()) {
					if (source.getConfigMapRef() != null) {
						String name = source.getConfigMapRef().getName();
						String prefix = (source.getPrefix() != null) ? source.getPrefix() : "";
						configMap(manifests, name).getData()
							.keySet()
							.forEach((key) -> settings.add(
									new Setting(where + " envFrom ConfigMap " + name, node.get(), true, prefix + key)));
					}
				}
				arguments(container.getCommand(), where + " command", node.get(), settings);
				arguments(container.getArgs(), where + " args", node.get(), settings);
				for (VolumeMount mount : container.getVolumeMounts()) {
					spec.getVolumes()
						.stream()
						.filter((volume) -> volume.getName().equals(mount.getName()) && volume.getConfigMap() != null)
						.forEach((volume) -> configFiles(manifests, volume, where, node.get(), settings));
				}
			}
		});
		return settings;
	}

	private static void configFiles(Manifests manifests, Volume volume, String where, Node node,
			List<Setting> settings) {
		String name = volume.getConfigMap().getName();
		configMap(manifests, name).getData().forEach((key, text) -> {
			if (ConfigFiles.isApplicationConfig(key)) {
				ConfigFiles.properties(key, text)
					.keySet()
					.forEach((property) -> settings
						.add(new Setting(where + " ConfigMap " + name + " " + key, node, false, property)));
			}
		});
	}

	static ConfigMap configMap(Manifests manifests, String name) {
		return manifests.find(ConfigMap.class, name)
			.orElseThrow(() -> new AssertionError("ConfigMap " + name + " is referenced but not in the overlay"));
	}

	private static void arguments(List<String> tokens, String where, Node node, List<Setting> settings) {
		for (String token : tokens) {
			if (token.startsWith("--") && token.length() > 2) {
				int equals = token.indexOf('=');
				settings
					.add(new Setting(where, node, false, token.substring(2, (equals > 0) ? equals : token.length())));
			}
		}
	}

	/**
	 * The settings of the chat-client and chat-provider services of a compose file:
	 * {@code environment} (map or list), {@code env_file}, and {@code --name=value} in
	 * {@code command} or {@code entrypoint}.
	 * @param file the compose file
	 * @return its settings
	 */
	static List<Setting> ofCompose(Path file) {
		List<Setting> settings = new ArrayList<>();
		Object root = ConfigFiles.yaml().load(Repository.read(file));
		if (!(root instanceof Map<?, ?> compose) || !(compose.get("services") instanceof Map<?, ?> services)) {
			return settings;
		}
		String where = "deploy/compose/" + file.getFileName();
		services.forEach((serviceName, definition) -> {
			if (!(definition instanceof Map<?, ?> service)) {
				return;
			}
			Optional<Node> node = Node.of(string(service.get("image")))
				.or(() -> Node.of(string(service.get("build"))))
				.or(() -> Node.of(String.valueOf(serviceName)));
			if (node.isEmpty()) {
				return; // Nacos, Redis, stand-ins: their variables are not Spring
						// properties
			}
			String at = where + " service " + serviceName;
			Object environment = service.get("environment");
			if (environment instanceof Map<?, ?> map) {
				map.keySet()
					.forEach((key) -> settings.add(new Setting(at + " environment", node.get(), true, key.toString())));
			}
			else if (environment instanceof List<?> list) {
				list.forEach((entry) -> settings
					.add(new Setting(at + " environment", node.get(), true, entry.toString().split("=", 2)[0])));
			}
			for (Object envFile : list(service.get("env_file"))) {
				Object path = (envFile instanceof Map<?, ?> map) ? map.get("path") : envFile;
				Path env = file.getParent().resolve(String.valueOf(path)).normalize();
				if (Files.isRegularFile(env)) {
					for (String line : Repository.read(env).split("\\R")) {
						String entry = line.strip().replaceFirst("^export\\s+", "");
						if (!entry.isEmpty() && !entry.startsWith("#") && entry.contains("=")) {
							settings.add(new Setting(at + " env_file " + path, node.get(), true,
									entry.split("=", 2)[0].strip()));
						}
					}
				}
			}
			for (String key : List.of("command", "entrypoint")) {
				Object value = service.get(key);
				List<String> tokens = (value instanceof String text) ? Arrays.asList(text.trim().split("\\s+"))
						: list(value).stream().map(String::valueOf).toList();
				arguments(tokens, at + " " + key, node.get(), settings);
			}
		});
		return settings;
	}

	private static String string(Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

	private static List<?> list(Object value) {
		if (value == null) {
			return List.of();
		}
		return (value instanceof List<?> list) ? list : List.of(value);
	}

}
