package io.chatrelay.kit;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/**
 * Kubernetes label-selector semantics, for checking which pods a NetworkPolicy, a PDB or
 * a Service selects.
 */
final class Selectors {

	private Selectors() {
	}

	/**
	 * Whether a selector selects an object with these labels. An empty selector selects
	 * everything.
	 * @param selector the selector
	 * @param labels the object's labels
	 * @return whether it is selected
	 */
	static boolean selects(LabelSelector selector, Map<String, String> labels) {
		Map<String, String> actual = (labels != null) ? labels : Map.of();
		if (selector.getMatchLabels() != null) {
			for (Map.Entry<String, String> entry : selector.getMatchLabels().entrySet()) {
				if (!entry.getValue().equals(actual.get(entry.getKey()))) {
					return false;
				}
			}
		}
		List<LabelSelectorRequirement> requirements = (selector.getMatchExpressions() != null)
				? selector.getMatchExpressions() : List.of();
		for (LabelSelectorRequirement requirement : requirements) {
			String value = actual.get(requirement.getKey());
			List<String> values = (requirement.getValues() != null) ? requirement.getValues() : List.of();
			boolean met = switch (requirement.getOperator()) {
				case "In" -> value != null && values.contains(value);
				case "NotIn" -> value == null || !values.contains(value);
				case "Exists" -> value != null;
				case "DoesNotExist" -> value == null;
				default -> throw new IllegalArgumentException("Unknown selector operator " + requirement.getOperator());
			};
			if (!met) {
				return false;
			}
		}
		return true;
	}

	static boolean selects(Map<String, String> selector, Map<String, String> labels) {
		return selects(new LabelSelector(null, selector), labels);
	}

}
