package io.chatrelay.provider.caller;

import java.util.Map;

import jakarta.validation.Valid;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Per-tenant request policy: {@code chat.provider.tenants.<tenantId>.*} and the defaults
 * for tenants not listed, {@code chat.provider.tenant-defaults.*}.
 *
 * @param tenants limits by tenant id
 * @param tenantDefaults limits for a tenant not listed, and for components a listed
 * tenant leaves out
 */
@ConfigurationProperties("chat.provider")
@Validated
public record TenantProperties(Map<String, @Valid TenantLimits> tenants, @Valid TenantLimits tenantDefaults) {

	public TenantProperties {
		tenants = (tenants != null) ? Map.copyOf(tenants) : Map.of();
		tenantDefaults = (tenantDefaults != null) ? tenantDefaults.or(TenantLimits.BUILT_IN) : TenantLimits.BUILT_IN;
	}

}
