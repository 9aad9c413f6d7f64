package io.chatrelay.standalone.launcher;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The registry and config center the nodes use: the embedded ZooKeeper, or an external
 * one from {@code REGISTRY} ({@code nacos://host:port[?namespace=<id>]} or
 * {@code zookeeper://host:port}) with {@code REGISTRY_USERNAME} and
 * {@code REGISTRY_PASSWORD}.
 *
 * <p>
 * Credentials never go inside the address: Dubbo logs its registry and metadata-report
 * URLs with their parameters. The nodes get them as {@code dubbo.registry.username} and
 * {@code dubbo.registry.password} (the password in their environment, see
 * {@link Secrets}); Dubbo hands them on to the config center and the metadata report it
 * derives from the registry.
 *
 * @param address the external registry address, or {@code null} for the embedded
 * ZooKeeper
 * @param username the registry user, or {@code null}
 * @param password the user's password, or {@code null}
 */
record RegistrySettings(String address, String username, String password) {

	static final RegistrySettings EMBEDDED = new RegistrySettings(null, null, null);

	private static final Pattern SCHEME = Pattern.compile("^(nacos|zookeeper)://[^/?#\\s]+(/)?(\\?\\S*)?$");

	private static final Pattern CREDENTIAL_IN_ADDRESS = Pattern
		.compile("(://[^/?#]*@)|([?&](username|password|accessToken)=)", Pattern.CASE_INSENSITIVE);

	/**
	 * Read {@code REGISTRY}, {@code REGISTRY_USERNAME} and {@code REGISTRY_PASSWORD}.
	 * @param env the environment
	 * @return the settings
	 * @throws IllegalArgumentException naming what is wrong, without echoing a secret
	 */
	static RegistrySettings parse(Map<String, String> env) {
		String address = LauncherSettings.blankToNull(env.get("REGISTRY"));
		String username = LauncherSettings.blankToNull(env.get("REGISTRY_USERNAME"));
		String password = LauncherSettings.blankToNull(env.get("REGISTRY_PASSWORD"));
		if (address == null) {
			if (username != null || password != null) {
				throw new IllegalArgumentException("REGISTRY_USERNAME or REGISTRY_PASSWORD is set but REGISTRY is not:"
						+ " the embedded ZooKeeper takes no credentials");
			}
			return EMBEDDED;
		}
		address = address.trim();
		if (CREDENTIAL_IN_ADDRESS.matcher(address).find()) {
			throw new IllegalArgumentException("REGISTRY must not carry credentials (Dubbo logs the address):"
					+ " put them in REGISTRY_USERNAME and REGISTRY_PASSWORD");
		}
		if (!SCHEME.matcher(address).matches()) {
			throw new IllegalArgumentException("REGISTRY must be nacos://host:port[?namespace=<id>] or "
					+ "zookeeper://host:port, got '" + address + "'");
		}
		if (password != null && username == null) {
			throw new IllegalArgumentException("REGISTRY_PASSWORD is set without REGISTRY_USERNAME");
		}
		return new RegistrySettings(address, username, password);
	}

	/** Whether the launcher starts its own ZooKeeper. */
	boolean embedded() {
		return this.address == null;
	}

	/** Whether the external registry is a Nacos. */
	boolean nacos() {
		return this.address != null && this.address.toLowerCase(Locale.ROOT).startsWith("nacos://");
	}

	/**
	 * Properties every node gets besides {@code dubbo.registry.address}.
	 * @return the registry credentials, if any
	 */
	Map<String, String> nodeProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		if (this.username != null) {
			properties.put("dubbo.registry.username", this.username);
		}
		if (this.password != null) {
			properties.put("dubbo.registry.password", this.password);
		}
		return properties;
	}

	@Override
	public String toString() {
		if (embedded()) {
			return "embedded ZooKeeper";
		}
		return this.address + ((this.username != null) ? " as " + this.username : "")
				+ ((this.password != null) ? " (password " + Secrets.mask(this.password) + ")" : "");
	}

}
