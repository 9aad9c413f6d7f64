package io.chatrelay.provider.model.zhipu;

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
import io.chatrelay.api.TokenUsage;
import io.chatrelay.provider.model.ModelRequest;

/**
 * Zhipu GLM v4 chat-completions JSON, kept inside this package. It is OpenAI-like, but:
 * no {@code object} field and an extra {@code request_id}; {@code user_id} instead of
 * {@code user}; no {@code stream_options} (usage always comes in the last chunk); error
 * {@code code}s are numeric strings. Reading is lenient: unknown fields are ignored.
 */
final class ZhipuWire {

	/** Zhipu's bounds for {@code user_id}, in characters. */
	static final int USER_ID_MIN = 6;

	static final int USER_ID_MAX = 128;

	private static final ObjectMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private ZhipuWire() {
	}

	static byte[] write(CompletionRequest request) throws JsonProcessingException {
		return JSON.writeValueAsBytes(request);
	}

	/**
	 * Serialise a small value that cannot fail to serialise (token claims).
	 * @param value the value
	 * @return its JSON bytes
	 */
	static byte[] json(Object value) {
		try {
			return JSON.writeValueAsBytes(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), ex);
		}
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

	/**
	 * Zhipu rejects a {@code user_id} outside 6–128 characters, so such a value is left
	 * out rather than failing the call (it only feeds Zhipu's abuse tracking) or being
	 * padded or cut (which would merge or split users).
	 * @param user the caller's end-user id, may be {@code null}
	 * @return the value to send, or {@code null} to omit the field
	 */
	static String userId(String user) {
		if (user == null) {
			return null;
		}
		int length = user.codePointCount(0, user.length());
		return (length >= USER_ID_MIN && length <= USER_ID_MAX) ? user : null;
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record CompletionRequest(String model, List<Message> messages, boolean stream, Double temperature,
			@JsonProperty("max_tokens") Integer maxTokens, @JsonProperty("user_id") String userId) {

		/**
		 * Zhipu's temperature range is (0, 1]: the lowest value sent is a small positive
		 * one.
		 */
		static final double MIN_TEMPERATURE = 0.01;

		static final double MAX_TEMPERATURE = 1.0;

		/**
		 * Map a port request.
		 * @throws IllegalArgumentException for a message role this version does not know
		 */
		static CompletionRequest of(ModelRequest request, String model, boolean stream) {
			List<Message> messages = request.messages().stream().map(Message::of).toList();
			return new CompletionRequest(model, messages, stream,
					request.temperatureWithin(MIN_TEMPERATURE, MAX_TEMPERATURE), request.maxTokens(),
					ZhipuWire.userId(request.user()));
		}

	}

	record Message(String role, String content) {

		static Message of(ChatMessage message) {
			return new Message(message.roleType().wireName(), message.content());
		}

	}

	/**
	 * A whole completion or one stream chunk; either may carry an {@code error} instead.
	 */
	record Completion(String id, String model, @JsonProperty("request_id") String requestId, List<Choice> choices,
			Usage usage, ErrorBody error) {

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
	 * A {@code message} of a completion or a {@code delta} of a chunk (every Zhipu delta
	 * repeats {@code role}).
	 */
	record Reply(String role, String content) {

	}

	record Usage(@JsonProperty("prompt_tokens") int promptTokens,
			@JsonProperty("completion_tokens") int completionTokens, @JsonProperty("total_tokens") int totalTokens) {

		TokenUsage toTokenUsage() {
			return new TokenUsage(this.promptTokens, this.completionTokens, this.totalTokens);
		}

	}

	record ErrorEnvelope(ErrorBody error) {

	}

	/**
	 * Zhipu's error object; {@code code} is a numeric string such as {@code "1302"} (a
	 * JSON number is accepted too).
	 */
	record ErrorBody(String code, String message) {

	}

}
