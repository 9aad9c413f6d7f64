package io.chatrelay.provider.model.compat;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRole;
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;

/**
 * Chat-completions JSON as OpenAI defines it and compatible vendors speak it, kept inside
 * this package. Reading is lenient, so one set of records reads every vendor: unknown
 * fields are ignored (OpenAI's {@code object}, {@code obfuscation}, {@code service_tier};
 * Zhipu's role repeated in every delta), and fields one vendor lacks are {@code null}
 * (Zhipu has no {@code refusal}, OpenAI no {@code request_id}).
 */
final class CompatWire {

	private static final ObjectMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private CompatWire() {
	}

	static byte[] write(CompletionRequest request) throws JsonProcessingException {
		return JSON.writeValueAsBytes(request);
	}

	static Completion readCompletion(String json) throws IOException {
		Completion completion = JSON.readValue(json, Completion.class);
		if (completion == null) {
			throw new IOException("empty JSON");
		}
		return completion;
	}

	/**
	 * Read an error envelope leniently.
	 * @param json a response body, possibly not JSON at all
	 * @return the error object, or {@code null} when the body carries none
	 */
	static CompatError readError(String json) {
		if (json == null || json.isBlank()) {
			return null;
		}
		try {
			ErrorEnvelope envelope = JSON.readValue(json, ErrorEnvelope.class);
			return (envelope != null) ? envelope.error() : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * A request body; {@code null} fields are left out.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record CompletionRequest(String model, List<Message> messages, Double temperature,
			@JsonProperty("max_tokens") Integer maxTokens, String user, @JsonProperty("user_id") String userId,
			boolean stream, @JsonProperty("stream_options") StreamOptions streamOptions) {

		/**
		 * Map a port request in a vendor's dialect.
		 * @throws IllegalArgumentException for a message role this version does not know
		 */
		static CompletionRequest of(ModelRequest request, String model, boolean stream, CompatDialect dialect) {
			List<Message> messages = request.messages().stream().map(Message::of).toList();
			String user = (request.user() != null) ? dialect.user().apply(request.user()) : null;
			boolean userField = dialect.userField() == CompatDialect.UserField.USER;
			return new CompletionRequest(model, messages,
					request.temperatureWithin(dialect.minTemperature(), dialect.maxTemperature()), request.maxTokens(),
					userField ? user : null, userField ? null : user, stream,
					(stream && dialect.streamUsage()) ? new StreamOptions(true) : null);
		}

	}

	record Message(String role, String content) {

		/**
		 * Map a contract message; the role is normalised through {@link ChatRole}.
		 * @throws IllegalArgumentException for a role this version does not know
		 */
		static Message of(ChatMessage message) {
			return new Message(message.roleType().wireName(), message.content());
		}

	}

	record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {

	}

	/**
	 * A whole completion or one stream chunk; either may carry an {@code error} instead.
	 */
	record Completion(String id, String model, @JsonProperty("request_id") String requestId, List<Choice> choices,
			Usage usage, CompatError error) {

		/**
		 * The first choice, if any: OpenAI's {@code include_usage} chunk has none.
		 * @return the choice or {@code null}
		 */
		Choice firstChoice() {
			return (this.choices == null || this.choices.isEmpty()) ? null : this.choices.get(0);
		}

	}

	record Choice(Reply message, Reply delta, @JsonProperty("finish_reason") String finishReason) {

		String lowerCaseFinishReason() {
			return (this.finishReason != null) ? this.finishReason.toLowerCase(Locale.ROOT) : null;
		}

	}

	/**
	 * A {@code message} of a completion or a {@code delta} of a chunk.
	 */
	record Reply(String content, String refusal) {

	}

	record Usage(@JsonProperty("prompt_tokens") int promptTokens,
			@JsonProperty("completion_tokens") int completionTokens, @JsonProperty("total_tokens") int totalTokens) {

		TokenUsage toTokenUsage() {
			return new TokenUsage(this.promptTokens, this.completionTokens, this.totalTokens);
		}

	}

	record ErrorEnvelope(CompatError error) {

	}

}
