package io.chatrelay.client.tenant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The company this client deployment serves ({@code chat.client.tenant-id}).
 *
 * @param tenantId the tenant; part of every Redis key ({@code cr:{<tenant>}:...}) and of
 * every request to the providers
 */
@Validated
@ConfigurationProperties("chat.client")
public record TenantProperties(@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String tenantId) {

	/**
	 * The prefix of every Redis key of this tenant; the hash tag keeps a tenant on one
	 * cluster slot.
	 * @return {@code cr:{<tenant>}:}
	 */
	public String keyPrefix() {
		return "cr:{" + this.tenantId + "}:";
	}

}
