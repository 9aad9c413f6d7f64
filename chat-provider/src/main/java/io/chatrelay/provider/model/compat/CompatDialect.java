package io.chatrelay.provider.model.compat;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where a vendor's chat-completions request differs from OpenAI's. Answers are read the
 * same way for every vendor (unknown fields ignored, usage taken from whichever chunk
 * carries it), so only the request varies.
 *
 * @param minTemperature the lowest temperature the vendor accepts; a request's
 * temperature is clamped into the range, so a fallback does not reject what the primary
 * accepts
 * @param maxTemperature the highest temperature the vendor accepts
 * @param streamUsage whether streams ask for usage with
 * {@code stream_options.include_usage} (OpenAI); {@code false} for vendors that reject
 * the option or always send usage in the last chunk (Zhipu)
 * @param userField the field that carries the end-user id
 * @param user the end-user id as sent, or {@code null} to leave the field out (Zhipu
 * omits ids its bounds reject)
 */
public record CompatDialect(double minTemperature, double maxTemperature, boolean streamUsage, UserField userField,
		UnaryOperator<String> user) {

	/**
	 * Validate.
	 * @param minTemperature lowest temperature
	 * @param maxTemperature highest temperature
	 * @param streamUsage whether to send {@code stream_options}
	 * @param userField the end-user field
	 * @param user the end-user id as sent
	 */
	public CompatDialect {
		if (minTemperature > maxTemperature) {
			throw new IllegalArgumentException("minTemperature must not exceed maxTemperature");
		}
		Objects.requireNonNull(userField, "userField");
		Objects.requireNonNull(user, "user");
	}

	/**
	 * OpenAI's own dialect: temperature 0–2, {@code user}, usage through
	 * {@code stream_options}.
	 * @return the dialect
	 */
	public static CompatDialect openAi() {
		return new CompatDialect(0.0, 2.0, true, UserField.USER, UnaryOperator.identity());
	}

	/**
	 * The JSON field of the end-user id.
	 */
	public enum UserField {

		/** {@code user} (OpenAI). */
		USER,

		/** {@code user_id} (Zhipu). */
		USER_ID

	}

}
