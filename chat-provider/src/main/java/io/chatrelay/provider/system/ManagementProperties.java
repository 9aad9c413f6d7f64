package io.chatrelay.provider.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP Basic user of the provider's actuator port
 * ({@code chat.provider.management.*}): metrics scrapers and operators' tools. Without a
 * password the port answers only the probes. Give the password from a secret
 * ({@code CHAT_PROVIDER_MANAGEMENT_PASSWORD}), never on a command line.
 *
 * @param username the user name
 * @param password the password; blank turns everything but the probes off
 */
@ConfigurationProperties("chat.provider.management")
public record ManagementProperties(@DefaultValue("prometheus") String username, String password) {

	boolean enabled() {
		return this.password != null && !this.password.isBlank();
	}

	@Override
	public String toString() {
		return "ManagementProperties[username=" + this.username + ", password=" + (enabled() ? "****" : "") + "]";
	}

}
