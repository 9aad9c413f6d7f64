package io.chatrelay.client.quota;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The quota document ({@value QuotaSubscription#KEY} in the config center), one immutable
 * snapshot:
 *
 * <pre>
 * default:                       # every tenant without an entry of its own
 *   user:   {requests-per-minute: 60, tokens-per-day: 200000}
 *   tenant: {requests-per-minute: 3000, tokens-per-month: 50000000}
 *   max-tokens-per-request: 2048 # the answer's cap, reserved before each call
 * tenants:
 *   acme:
 *     user: {requests-per-minute: 20}
 * </pre>
 *
 * A tenant's entry replaces the default entry as a whole.
 *
 * @param defaults the rules of tenants without their own
 * @param tenants rules by tenant id
 */
public record QuotaRules(TenantRules defaults, Map<String, TenantRules> tenants) {

	/** No document: no limits. */
	public static final QuotaRules NONE = new QuotaRules(TenantRules.NONE, Map.of());

	static final long DEFAULT_MAX_TOKENS_PER_REQUEST = 2048;

	private static final int MAX_DOCUMENT_CHARS = 256 * 1024;

	public QuotaRules {
		Objects.requireNonNull(defaults, "defaults");
		tenants = Map.copyOf(tenants);
	}

	/**
	 * The rules of one tenant.
	 * @param tenantId the tenant
	 * @return its own entry or the default one
	 */
	public TenantRules forTenant(String tenantId) {
		return this.tenants.getOrDefault(tenantId, this.defaults);
	}

	/**
	 * Parse a document.
	 * @param yaml the document
	 * @return the rules
	 * @throws InvalidQuotaException with every problem found, when it is not valid
	 */
	public static QuotaRules parse(String yaml) {
		if (yaml == null || yaml.isBlank()) {
			return NONE;
		}
		if (yaml.length() > MAX_DOCUMENT_CHARS) {
			throw new InvalidQuotaException(
					List.of("the document is longer than " + MAX_DOCUMENT_CHARS + " characters"));
		}
		Object root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException ex) {
			throw new InvalidQuotaException(List.of("not YAML: " + ex.getMessage().lines().findFirst().orElse("")));
		}
		List<String> problems = new ArrayList<>();
		if (!(root instanceof Map<?, ?> map)) {
			throw new InvalidQuotaException(List.of("the document must be a mapping"));
		}
		unknownKeys(map, List.of("default", "tenants"), "", problems);
		TenantRules defaults = tenant(map.get("default"), "default", problems);
		Map<String, TenantRules> tenants = new LinkedHashMap<>();
		Object tenantMap = map.get("tenants");
		if (tenantMap instanceof Map<?, ?> entries) {
			entries.forEach((id, rules) -> tenants.put(String.valueOf(id), tenant(rules, "tenants." + id, problems)));
		}
		else if (tenantMap != null) {
			problems.add("tenants must be a mapping of tenant id to rules");
		}
		if (!problems.isEmpty()) {
			throw new InvalidQuotaException(problems);
		}
		return new QuotaRules(defaults, tenants);
	}

	private static TenantRules tenant(Object node, String path, List<String> problems) {
		if (node == null) {
			return TenantRules.NONE;
		}
		if (!(node instanceof Map<?, ?> map)) {
			problems.add(path + " must be a mapping");
			return TenantRules.NONE;
		}
		unknownKeys(map, List.of("user", "tenant", "max-tokens-per-request"), path + ".", problems);
		long maxTokens = number(map.get("max-tokens-per-request"), path + ".max-tokens-per-request", problems);
		return new TenantRules(limits(map.get("user"), path + ".user", problems),
				limits(map.get("tenant"), path + ".tenant", problems),
				(maxTokens > 0) ? maxTokens : DEFAULT_MAX_TOKENS_PER_REQUEST);
	}

	private static Limits limits(Object node, String path, List<String> problems) {
		if (node == null) {
			return Limits.NONE;
		}
		if (!(node instanceof Map<?, ?> map)) {
			problems.add(path + " must be a mapping");
			return Limits.NONE;
		}
		unknownKeys(map, List.of("requests-per-minute", "tokens-per-day", "tokens-per-month"), path + ".", problems);
		return new Limits(number(map.get("requests-per-minute"), path + ".requests-per-minute", problems),
				number(map.get("tokens-per-day"), path + ".tokens-per-day", problems),
				number(map.get("tokens-per-month"), path + ".tokens-per-month", problems));
	}

	private static long number(Object value, String path, List<String> problems) {
		if (value == null) {
			return 0;
		}
		if (value instanceof Integer || value instanceof Long) {
			long number = ((Number) value).longValue();
			if (number >= 0) {
				return number;
			}
		}
		problems.add(path + " must be a whole number, 0 or more (0: no limit)");
		return 0;
	}

	private static void unknownKeys(Map<?, ?> map, List<String> known, String path, List<String> problems) {
		for (Object key : map.keySet()) {
			if (!known.contains(String.valueOf(key))) {
				problems.add("unknown setting " + path + key + " (known: " + String.join(", ", known) + ")");
			}
		}
	}

	/**
	 * One tenant's rules.
	 *
	 * @param user the limits of each user of the tenant
	 * @param tenant the limits of the tenant as a whole
	 * @param maxTokensPerRequest the answer's token cap, sent with each request and
	 * reserved before it when tokens are limited
	 */
	public record TenantRules(Limits user, Limits tenant, long maxTokensPerRequest) {

		/** No limits. */
		public static final TenantRules NONE = new TenantRules(Limits.NONE, Limits.NONE,
				DEFAULT_MAX_TOKENS_PER_REQUEST);

	}

}
