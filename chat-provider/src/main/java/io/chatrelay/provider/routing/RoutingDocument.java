package io.chatrelay.provider.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the routing document ({@code chat-relay-routing.yaml}, fixed format of DESIGN.md
 * §4) strictly: unknown keys, unknown vendors, an empty chain or a degrade switch without
 * a target are errors, because a half-understood document must not change production
 * traffic. Keys left out take the local defaults. {@code tenants} gives some tenants
 * routes of their own ({@code primary}, {@code fallback}, {@code degrade.enabled},
 * {@code degrade.target}, each optional, the rest from the top level).
 */
public final class RoutingDocument {

	private static final Set<String> TOP_LEVEL_KEYS = Set.of("primary", "fallback", "degrade", "tenants");

	private static final Set<String> TENANT_KEYS = Set.of("primary", "fallback", "degrade");

	private static final Set<String> DEGRADE_KEYS = Set.of("enabled", "target");

	private final Set<String> vendors;

	private final RoutingPolicy defaults;

	/**
	 * Create a reader.
	 * @param vendors the vendors this provider knows
	 * @param defaults the policy whose values fill keys the document leaves out
	 * @throws InvalidRoutingException if the defaults name a vendor this provider does
	 * not know (the degrade target too, even while degrade is off)
	 */
	public RoutingDocument(Set<String> vendors, RoutingPolicy defaults) {
		this.vendors = Set.copyOf(vendors);
		this.defaults = defaults;
		vendor(defaults.primary(), "primary");
		defaults.fallback().forEach((each) -> vendor(each, "fallback"));
		vendor(defaults.degradeTarget(), "degrade.target");
		defaults.tenants().forEach((tenant, route) -> {
			String at = "tenants." + tenant + ".";
			if (route.primary() != null) {
				vendor(route.primary(), at + "primary");
			}
			if (route.fallback() != null) {
				route.fallback().forEach((each) -> vendor(each, at + "fallback"));
			}
			if (route.degradeTarget() != null) {
				vendor(route.degradeTarget(), at + "degrade.target");
			}
		});
	}

	/**
	 * Parse and validate a document.
	 * @param yaml the document
	 * @return the policy it describes
	 * @throws InvalidRoutingException if it is not a valid routing document
	 */
	public RoutingPolicy parse(String yaml) {
		if (yaml == null || yaml.isBlank()) {
			throw new InvalidRoutingException("the document is empty");
		}
		Map<?, ?> root = asMap(load(yaml), "the document");
		checkKeys(root, TOP_LEVEL_KEYS, "");
		String primary = vendor(root.containsKey("primary") ? root.get("primary") : this.defaults.primary(), "primary");
		List<String> fallback = root.containsKey("fallback") ? fallback(root.get("fallback"), "")
				: this.defaults.fallback();
		boolean enabled = this.defaults.degradeEnabled();
		String target = this.defaults.degradeTarget();
		if (root.containsKey("degrade")) {
			Map<?, ?> degrade = asMap(root.get("degrade"), "degrade");
			checkKeys(degrade, DEGRADE_KEYS, "degrade.");
			if (degrade.containsKey("enabled")) {
				if (!(degrade.get("enabled") instanceof Boolean flag)) {
					throw new InvalidRoutingException("degrade.enabled must be true or false");
				}
				enabled = flag;
			}
			if (degrade.containsKey("target")) {
				target = vendor(degrade.get("target"), "degrade.target");
			}
		}
		Map<String, RoutingPolicy.TenantRoute> tenants = root.containsKey("tenants") ? tenants(root.get("tenants"))
				: this.defaults.tenants();
		return new RoutingPolicy(primary, fallback, enabled, vendor(target, "degrade.target"), tenants);
	}

	private Map<String, RoutingPolicy.TenantRoute> tenants(Object value) {
		if (value == null) {
			return Map.of();
		}
		Map<String, RoutingPolicy.TenantRoute> routes = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : asMap(value, "tenants").entrySet()) {
			if (!(entry.getKey() instanceof String tenant) || tenant.isBlank()) {
				throw new InvalidRoutingException(
						"tenants: each key must be a tenant id, got '" + entry.getKey() + "'");
			}
			String at = "tenants." + tenant + ".";
			Map<?, ?> route = asMap(entry.getValue(), "tenants." + tenant);
			checkKeys(route, TENANT_KEYS, at);
			String primary = route.containsKey("primary") ? vendor(route.get("primary"), at + "primary") : null;
			List<String> fallback = route.containsKey("fallback") ? fallback(route.get("fallback"), at) : null;
			Boolean enabled = null;
			String target = null;
			if (route.containsKey("degrade")) {
				Map<?, ?> degrade = asMap(route.get("degrade"), at + "degrade");
				checkKeys(degrade, DEGRADE_KEYS, at + "degrade.");
				if (degrade.containsKey("enabled")) {
					if (!(degrade.get("enabled") instanceof Boolean flag)) {
						throw new InvalidRoutingException(at + "degrade.enabled must be true or false");
					}
					enabled = flag;
				}
				if (degrade.containsKey("target")) {
					target = vendor(degrade.get("target"), at + "degrade.target");
				}
			}
			routes.put(tenant.strip(), new RoutingPolicy.TenantRoute(primary, fallback, enabled, target));
		}
		return routes;
	}

	private static Object load(String yaml) {
		try {
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException ex) {
			throw new InvalidRoutingException("not valid YAML: " + firstLine(ex.getMessage()));
		}
	}

	private List<String> fallback(Object value, String at) {
		if (!(value instanceof List<?> list)) {
			throw new InvalidRoutingException(at + "fallback must be a list of vendors, e.g. [chatglm, ernie]");
		}
		if (list.isEmpty()) {
			throw new InvalidRoutingException(
					at + "fallback must name at least one vendor (leave the key out to keep the default chain)");
		}
		List<String> chain = new ArrayList<>();
		for (Object each : list) {
			chain.add(vendor(each, at + "fallback"));
		}
		return chain;
	}

	private String vendor(Object value, String field) {
		if (!(value instanceof String name) || name.isBlank()) {
			throw new InvalidRoutingException(field + " must name a vendor, one of " + this.vendors);
		}
		String vendor = name.strip();
		if (!this.vendors.contains(vendor)) {
			throw new InvalidRoutingException(
					field + ": unknown vendor '" + vendor + "', expected one of " + this.vendors);
		}
		return vendor;
	}

	private static Map<?, ?> asMap(Object value, String what) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new InvalidRoutingException(what + " must be a mapping");
		}
		return map;
	}

	private static void checkKeys(Map<?, ?> map, Set<String> allowed, String prefix) {
		for (Object key : map.keySet()) {
			if (!allowed.contains(String.valueOf(key))) {
				throw new InvalidRoutingException("unknown key '" + prefix + key + "'");
			}
		}
	}

	private static String firstLine(String message) {
		return (message != null) ? message.lines().findFirst().orElse("") : "";
	}

}
