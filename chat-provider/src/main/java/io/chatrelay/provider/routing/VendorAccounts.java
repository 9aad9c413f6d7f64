package io.chatrelay.provider.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.chatrelay.provider.model.ChatModel;

/**
 * Whose credentials answer a vendor step: a tenant's own account for that vendor where
 * the tenant has one (its key, held by this provider, never on the wire), else the
 * platform's. Each account is a separate adapter with its own breaker, retry, rate
 * limiter and bulkhead, so one tenant's bad or exhausted key does not open the breaker
 * for the others.
 */
public final class VendorAccounts {

	/** The owner of the accounts configured under {@code chat.provider.model.*}. */
	public static final String PLATFORM = "platform";

	private final Map<String, ChatModel> platform;

	private final Map<String, Map<String, ChatModel>> tenants;

	/**
	 * Create the accounts.
	 * @param platform the platform's adapter for every vendor, by vendor name
	 * @param tenants tenants' own adapters, by tenant id and vendor name
	 * @throws IllegalArgumentException when a tenant account names a vendor the platform
	 * does not have
	 */
	public VendorAccounts(Map<String, ChatModel> platform, Map<String, Map<String, ChatModel>> tenants) {
		this.platform = Map.copyOf(platform);
		Map<String, Map<String, ChatModel>> copy = new LinkedHashMap<>();
		tenants.forEach((tenant, accounts) -> {
			for (String vendor : accounts.keySet()) {
				if (!this.platform.containsKey(vendor)) {
					throw new IllegalArgumentException("Tenant " + tenant + " has an account for unknown vendor '"
							+ vendor + "', expected one of " + this.platform.keySet());
				}
			}
			copy.put(tenant, Map.copyOf(accounts));
		});
		this.tenants = Map.copyOf(copy);
	}

	/**
	 * Only the platform's accounts.
	 * @param platform the adapters by vendor name
	 * @return the accounts
	 */
	public static VendorAccounts platformOnly(Map<String, ChatModel> platform) {
		return new VendorAccounts(platform, Map.of());
	}

	/**
	 * The vendors routing may name.
	 * @return the platform's vendor names
	 */
	public Set<String> vendors() {
		return this.platform.keySet();
	}

	/**
	 * Whether a tenant has an account of its own for any vendor.
	 * @param tenantId the tenant
	 * @return {@code true} if so
	 */
	public boolean hasOwn(String tenantId) {
		return tenantId != null && this.tenants.containsKey(tenantId);
	}

	/**
	 * The tenants with accounts of their own.
	 * @return tenant ids
	 */
	public Set<String> tenantsWithOwnAccounts() {
		return this.tenants.keySet();
	}

	/**
	 * The account answering one vendor step for one tenant.
	 * @param tenantId the tenant, or {@code null}
	 * @param vendor the vendor name
	 * @return the account
	 */
	public Account account(String tenantId, String vendor) {
		Map<String, ChatModel> own = (tenantId != null) ? this.tenants.get(tenantId) : null;
		ChatModel model = (own != null) ? own.get(vendor) : null;
		if (model != null) {
			return new Account(tenantId, model);
		}
		return new Account(PLATFORM, this.platform.get(vendor));
	}

	/**
	 * One account.
	 *
	 * @param owner {@value #PLATFORM} or the tenant id
	 * @param model the adapter with the owner's credentials
	 */
	public record Account(String owner, ChatModel model) {
	}

}
