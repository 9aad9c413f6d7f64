package io.chatrelay.provider.model.openai;

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
 * OpenAI chat-completions JSON, kept inside this package. Reading is lenient: unknown
 * fields (e.g. {@code obfuscation}, {@code service_tier}) are ignored.
 */
final class OpenAiWire {

	private static final ObjectMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private OpenAiWire() {
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
	static ErrorBody readError(String json) {
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

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record CompletionRequest(String model, List<Message> messages, Double temperature,
			@JsonProperty("max_tokens") Integer maxTokens, String user, boolean stream,
			@JsonProperty("stream_options") StreamOptions streamOptions) {

		static CompletionRequest of(ModelRequest request, String model, boolean stream) {
			List<Message> messages = request.messages().stream().map(Message::of).toList();
			return new CompletionRequest(model, messages, request.temperatureWithin(0.0, 2.0), request.maxTokens(),
					request.user(), stream, stream ? new StreamOptions(true) : null);
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
	record Completion(String model, List<Choice> choices, Usage usage, ErrorBody error) {

		/**
		 * The first choice, if any: the {@code include_usage} chunk has none.
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

	record ErrorEnvelope(ErrorBody error) {

	}

	record ErrorBody(String message, String type, String param, String code) {

	}

}
