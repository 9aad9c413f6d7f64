package io.chatrelay.kit;

import java.beans.Introspector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The documents of one rendered overlay, read into fabric8's typed models with plain
 * Jackson.
 */
final class Manifests {

	/**
	 * The kinds the kit may contain, each with its model; anything else fails the test.
	 */
	private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of("v1/Namespace", Namespace.class,
			"v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class, "v1/Service", Service.class,
			"v1/ServiceAccount", ServiceAccount.class, "apps/v1/Deployment", Deployment.class,
			"policy/v1/PodDisruptionBudget", PodDisruptionBudget.class, "autoscaling/v2/HorizontalPodAutoscaler",
			HorizontalPodAutoscaler.class, "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class, "batch/v1/Job",
			Job.class);

	private static final YAMLMapper MAPPER = new YAMLMapper();

	private final List<HasMetadata> items;

	private Manifests(List<HasMetadata> items) {
		this.items = List.copyOf(items);
	}

	static Manifests parse(String yaml) {
		List<HasMetadata> items = new ArrayList<>();
		try (MappingIterator<JsonNode> documents = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
			while (documents.hasNext()) {
				JsonNode document = documents.next();
				if (document == null || document.isNull() || document.isEmpty()) {
					continue;
				}
				String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
				Class<? extends HasMetadata> type = TYPES.get(key);
				if (type == null) {
					throw new IllegalArgumentException("A kind the kit's checks do not know: " + key + " "
							+ document.path("metadata").path("name").asText() + " (known: " + TYPES.keySet() + ")");
				}
				items.add(MAPPER.treeToValue(document, type));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new Manifests(items);
	}

	List<HasMetadata> items() {
		return this.items;
	}

	<T extends HasMetadata> List<T> all(Class<T> type) {
		return this.items.stream().filter(type::isInstance).map(type::cast).toList();
	}

	<T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
		return all(type).stream().filter((item) -> name.equals(item.getMetadata().getName())).findFirst();
	}

	/**
	 * The pod templates of the Deployments and Jobs, each named by its owner.
	 * @return owner ("Deployment chat-client") to template
	 */
	Map<String, PodTemplateSpec> podTemplates() {
		Map<String, PodTemplateSpec> templates = new java.util.LinkedHashMap<>();
		all(Deployment.class).forEach(
				(item) -> templates.put("Deployment " + item.getMetadata().getName(), item.getSpec().getTemplate()));
		all(Job.class)
			.forEach((item) -> templates.put("Job " + item.getMetadata().getName(), item.getSpec().getTemplate()));
		return templates;
	}

	/**
	 * Fields the typed models did not know (fabric8 keeps them in
	 * {@code additionalProperties}): a misspelt field Kubernetes would reject or ignore.
	 * @return one line per unknown field, with its path
	 */
	List<String> unknownFields() {
		List<String> found = new ArrayList<>();
		for (HasMetadata item : this.items) {
			unknownFields(item, item.getKind() + " " + item.getMetadata().getName(), found);
		}
		return found;
	}

	private static void unknownFields(Object value, String path, List<String> found) {
		if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				unknownFields(list.get(i), path + "[" + i + "]", found);
			}
			return;
		}
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, each) -> unknownFields(each, path + "." + key, found));
			return;
		}
		if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
			return;
		}
		for (Method method : value.getClass().getMethods()) {
			if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
					|| !method.getName().startsWith("get") || method.getDeclaringClass().isInterface()
					|| !method.getDeclaringClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
				continue;
			}
			Object child = invoke(method, value);
			if ("getAdditionalProperties".equals(method.getName())) {
				if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
					found.add(path + ": " + extra.keySet());
				}
				continue;
			}
			unknownFields(child, path + "." + Introspector.decapitalize(method.getName().substring(3)), found);
		}
	}

	private static Object invoke(Method method, Object target) {
		try {
			return method.invoke(target);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			return null;
		}
	}

}
