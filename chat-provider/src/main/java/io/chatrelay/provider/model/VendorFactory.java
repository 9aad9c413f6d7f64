package io.chatrelay.provider.model;

import java.util.Objects;
import java.util.function.Function;

/**
 * How to build one more adapter of a vendor from settings of its own: what lets a tenant
 * have an account with its own key (and, if it likes, its own base URL or default model)
 * next to the platform's. A vendor package contributes one beside its {@link ChatModel};
 * the settings are its {@code @ConfigurationProperties} record, bound from the tenant's
 * entries over the platform's.
 *
 * @param vendor the vendor name, as {@link ChatModel#vendor()}
 * @param settings the vendor's settings type (a {@code @ConfigurationProperties} record)
 * @param build makes an adapter from settings
 * @param <P> the settings type
 */
public record VendorFactory<P>(String vendor, Class<P> settings, Function<P, ChatModel> build) {

	/**
	 * Validate.
	 * @param vendor vendor name
	 * @param settings settings type
	 * @param build adapter factory
	 */
	public VendorFactory {
		Objects.requireNonNull(vendor, "vendor");
		Objects.requireNonNull(settings, "settings");
		Objects.requireNonNull(build, "build");
	}

	/**
	 * Build an adapter.
	 * @param bound settings of {@link #settings()}'s type
	 * @return the adapter
	 */
	public ChatModel create(Object bound) {
		return this.build.apply(this.settings.cast(bound));
	}

}
