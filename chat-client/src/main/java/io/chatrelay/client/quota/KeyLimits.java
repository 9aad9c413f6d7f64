package io.chatrelay.client.quota;

import java.util.Objects;

/**
 * The own limits of the API key a web call came with, on top of its tenant's limits.
 *
 * @param keyId the key's id
 * @param limits its limits
 */
public record KeyLimits(String keyId, Limits limits) {

	public KeyLimits {
		Objects.requireNonNull(keyId, "keyId");
		Objects.requireNonNull(limits, "limits");
	}

}
