package io.chatrelay.provider.model.compat;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the OpenAI-compatible adapter needs to know about one vendor: a vendor
 * package builds this from its properties, with its own error mapper and credentials, and
 * hands it to {@link CompatChatModel}.
 *
 * @param name the vendor name used in routing, replies and metrics ({@code chatgpt})
 * @param label the vendor's name in messages and logs ({@code OpenAI})
 * @param baseUrl the API root; requests go to {@code <baseUrl>/chat/completions}
 * @param model the model used when a request names none
 * @param firstTokenTimeout for streams, time until the response headers and the first
 * event
 * @param totalTimeout time for the whole call (a whole answer's headers wait up to it)
 * @param dialect where the vendor's requests differ from OpenAI's
 * @param credentials how calls authenticate
 * @param errors the vendor's error mapper
 */
public record CompatVendor(String name, String label, String baseUrl, String model, Duration firstTokenTimeout,
		Duration totalTimeout, CompatDialect dialect, CompatCredentials credentials, CompatErrorMapper errors) {

	/**
	 * Validate.
	 * @param name vendor name
	 * @param label name in messages
	 * @param baseUrl API root
	 * @param model default model
	 * @param firstTokenTimeout first-token timeout
	 * @param totalTimeout total timeout
	 * @param dialect request dialect
	 * @param credentials credentials
	 * @param errors error mapper
	 */
	public CompatVendor {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(label, "label");
		Objects.requireNonNull(baseUrl, "baseUrl");
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(firstTokenTimeout, "firstTokenTimeout");
		Objects.requireNonNull(totalTimeout, "totalTimeout");
		Objects.requireNonNull(dialect, "dialect");
		Objects.requireNonNull(credentials, "credentials");
		Objects.requireNonNull(errors, "errors");
	}

}
