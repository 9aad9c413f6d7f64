package io.chatrelay.provider.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Tenants' own vendor settings: {@code chat.provider.tenants.<id>.vendors.<vendor>.*},
 * any key of that vendor's {@code chat.provider.model.<package>.*} (typically only
 * {@code api-key}, from a secret: {@code ${ACME_OPENAI_API_KEY}} or a config tree). A
 * tenant's vendor settings are bound as the vendor's settings record with the tenant's
 * entries over the platform's, so whatever the tenant leaves out (base URL, model,
 * timeouts) is the platform's; the record's validation applies.
 */
final class TenantVendorSettings {

	private static final ConfigurationPropertyName TENANTS = ConfigurationPropertyName.of("chat.provider.tenants");

	/** {@code chat.provider.tenants.<id>.vendors.<vendor>}: six elements. */
	private static final int ACCOUNT_ELEMENTS = 6;

	private final ConfigurableEnvironment environment;

	private final Validator validator;

	TenantVendorSettings(ConfigurableEnvironment environment, jakarta.validation.Validator validator) {
		this.environment = environment;
		this.validator = new SpringValidatorAdapter(validator);
	}

	/**
	 * Which tenants configure which vendors.
	 * @return by tenant id, the vendors and the name their entries sit under
	 */
	Map<String, Map<String, ConfigurationPropertyName>> accounts() {
		Map<String, Map<String, ConfigurationPropertyName>> found = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			for (ConfigurationPropertyName name : iterable) {
				if (TENANTS.isAncestorOf(name) && name.getNumberOfElements() > ACCOUNT_ELEMENTS
						&& "vendors".equals(name.getElement(4, Form.UNIFORM))) {
					found.computeIfAbsent(name.getElement(3, Form.ORIGINAL), (tenant) -> new LinkedHashMap<>())
						.putIfAbsent(name.getElement(5, Form.UNIFORM), name.chop(ACCOUNT_ELEMENTS));
				}
			}
		}
		return found;
	}

	/**
	 * Bind a vendor's settings for a tenant.
	 * @param own where the tenant's entries sit, from {@link #accounts()}
	 * @param type the vendor's {@code @ConfigurationProperties} record
	 * @param <P> the settings type
	 * @return the settings, the tenant's entries over the platform's
	 */
	<P> P bind(ConfigurationPropertyName own, Class<P> type) {
		ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
		if (annotation == null) {
			throw new IllegalStateException(type.getName() + " is not a @ConfigurationProperties type");
		}
		String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
		Overlay overlay = new Overlay(ConfigurationPropertyName.of(prefix), own,
				ConfigurationPropertySources.get(this.environment));
		Binder binder = new Binder(List.of(overlay), new PropertySourcesPlaceholdersResolver(this.environment));
		BindHandler validation = new ValidationBindHandler(this.validator);
		try {
			return binder.bindOrCreate(prefix, Bindable.of(type), validation);
		}
		catch (BindException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException(
					own + ".*: invalid settings (the tenant's over " + prefix + ".*): " + cause.getMessage(), ex);
		}
	}

	/**
	 * The environment's properties, with names under the vendor's prefix looked up under
	 * the tenant's entries first.
	 */
	private record Overlay(ConfigurationPropertyName platform, ConfigurationPropertyName own,
			Iterable<ConfigurationPropertySource> sources) implements ConfigurationPropertySource {

		@Override
		public ConfigurationProperty getConfigurationProperty(ConfigurationPropertyName name) {
			if (this.platform.isAncestorOf(name)) {
				ConfigurationProperty tenants = find(
						this.own.append(name.subName(this.platform.getNumberOfElements())));
				if (tenants != null) {
					return tenants;
				}
			}
			return find(name);
		}

		@Override
		public ConfigurationPropertyState containsDescendantOf(ConfigurationPropertyName name) {
			return ConfigurationPropertyState.UNKNOWN;
		}

		private ConfigurationProperty find(ConfigurationPropertyName name) {
			for (ConfigurationPropertySource source : this.sources) {
				ConfigurationProperty property = source.getConfigurationProperty(name);
				if (property != null) {
					return property;
				}
			}
			return null;
		}

	}

}
