package io.chatrelay.client.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

import io.chatrelay.client.quota.KeyLimits;
import io.chatrelay.client.quota.Limits;

/**
 * Turns a presented API key into a {@link Caller}: a stored tenant key, or the bootstrap
 * admin key from the node's configuration (to create the first keys).
 */
final class ApiKeyCallers {

	static final String BOOTSTRAP_ID = "bootstrap";

	private final ApiKeyStore store;

	private final String tenantId;

	private final byte[] bootstrapAdminKey;

	ApiKeyCallers(ApiKeyStore store, String tenantId, String bootstrapAdminKey) {
		this.store = store;
		this.tenantId = tenantId;
		this.bootstrapAdminKey = (bootstrapAdminKey == null || bootstrapAdminKey.isBlank()) ? null
				: bootstrapAdminKey.getBytes(StandardCharsets.UTF_8);
	}

	private static KeyLimits limits(ApiKey key) {
		if (key.requestsPerMinute() == 0 && key.tokensPerDay() == 0) {
			return null;
		}
		return new KeyLimits(key.id(), new Limits(key.requestsPerMinute(), key.tokensPerDay(), 0));
	}

	Optional<Caller> authenticate(String presented) {
		if (this.bootstrapAdminKey != null
				&& MessageDigest.isEqual(this.bootstrapAdminKey, presented.getBytes(StandardCharsets.UTF_8))) {
			return Optional.of(new Caller(this.tenantId, "key:" + BOOTSTRAP_ID, Set.of(Role.TENANT_ADMIN),
					Caller.Source.API_KEY, BOOTSTRAP_ID, Set.of()));
		}
		return this.store.authenticate(presented)
			.map((key) -> new Caller(this.tenantId, "key:" + key.id(), key.roles(), Caller.Source.API_KEY, key.id(),
					key.models(), limits(key)));
	}

}
