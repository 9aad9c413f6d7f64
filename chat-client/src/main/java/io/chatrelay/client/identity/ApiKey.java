package io.chatrelay.client.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A tenant API key as stored: never its secret, only the secret's hash. Like LiteLLM's
 * virtual keys, a key carries what it may use and spend.
 *
 * @param id the public part of the key ({@code crk_<id>.<secret>})
 * @param name what the key is for, chosen by its creator
 * @param roles what the key may do
 * @param models models the key may use; empty means every model the tenant has
 * @param requestsPerMinute the key's own request limit, 0 for the tenant's limits only
 * @param tokensPerDay the key's own token budget per day, 0 for the tenant's only
 * @param created when it was created
 * @param expires when it stops working, or {@code null} for never
 * @param revoked whether it was revoked
 * @param secretHash SHA-256 of the secret, hex
 * @param createdBy who created (or last rotated) it
 */
public record ApiKey(String id, String name, Set<Role> roles, Set<String> models, long requestsPerMinute,
		long tokensPerDay, Instant created, Instant expires, boolean revoked, String secretHash, String createdBy) {

	public ApiKey {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		roles = Set.copyOf(roles);
		models = Set.copyOf(models);
		Objects.requireNonNull(created, "created");
		Objects.requireNonNull(secretHash, "secretHash");
	}

	/**
	 * Whether the key authenticates at this instant.
	 * @param now the instant
	 * @return {@code false} when revoked or expired
	 */
	public boolean usableAt(Instant now) {
		return !this.revoked && (this.expires == null || now.isBefore(this.expires));
	}

	/**
	 * The state shown to administrators.
	 * @param now the instant
	 * @return {@code active}, {@code expired} or {@code revoked}
	 */
	public String state(Instant now) {
		if (this.revoked) {
			return "revoked";
		}
		return usableAt(now) ? "active" : "expired";
	}

}
