package io.chatrelay.client.intake;

import java.util.List;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Enables a platform channel only when all of its credentials are set. Read from the
 * environment (not the bound properties) because conditions run before binding.
 */
public abstract class ChannelSwitch implements Condition {

	private final String prefix;

	private final List<String> required;

	/**
	 * Create a switch.
	 * @param prefix its property prefix
	 * @param required the credentials it needs, relative to the prefix
	 */
	protected ChannelSwitch(String prefix, String... required) {
		this.prefix = prefix;
		this.required = List.of(required);
	}

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return missing(context).isEmpty();
	}

	/**
	 * The credentials that are not set.
	 * @param context the condition context
	 * @return full property names
	 */
	private List<String> missing(ConditionContext context) {
		return this.required.stream().map((name) -> this.prefix + "." + name).filter((name) -> {
			String value = context.getEnvironment().getProperty(name);
			return value == null || value.isBlank();
		}).toList();
	}

}
