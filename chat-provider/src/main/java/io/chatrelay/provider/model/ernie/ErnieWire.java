package io.chatrelay.provider.model.ernie;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.TokenUsage;

/**
 * Qianfan JSON for both API generations and the OAuth token endpoint, kept inside this
 * package. Reading is lenient: unknown fields ({@code sentence_id}, {@code ban_round},
 * {@code search_info}, …) are ignored, and a v2 chunk's {@code object} is not checked.
 */
final class ErnieWire {

	/** ERNIE's temperature range is (0, 1] in both API versions; 0 is rejected. */
	static final double MIN_TEMPERATURE = 0.01;

	static final double MAX_TEMPERATURE = 1.0;

	private static final ObjectMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	/** ERNIE's "the user input is risky, clear the history" marker as a finish reason. */
	static final String CONTENT_FILTER = "content_filter";

	private ErnieWire() {
	}

	static byte[] write(Object request) throws JsonProcessingException {
		return JSON.writeValueAsBytes(request);
	}

	static <T> T read(String json, Class<T> type) throws IOException {
		T value = JSON.readValue(json, type);
		if (value == null) {
			throw new IOException("empty JSON");
		}
		return value;
	}

	/**
	 * Find an error in any Qianfan body: v1 {@code {"error_code":N,"error_msg":…}}, v2
	 * {@code {"error":{"code":…,"message":…},"id":…}} or OAuth
	 * {@code {"error":"invalid_client","error_description":…}}.
	 * @param json a response body or stream event, possibly not JSON at all
	 * @return the error, or {@code null} when the body carries none or is not JSON
	 */
	static VendorError readError(String json) {
		if (json == null || json.isBlank()) {
			return null;
		}
		JsonNode root;
		try {
			root = JSON.readTree(json);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		if (root == null || !root.isObject()) {
			return null;
		}
		String id = text(root.get("id"));
		JsonNode errorCode = root.get("error_code");
		if (errorCode != null && !errorCode.isNull() && errorCode.asInt(0) != 0) {
			return new VendorError(errorCode.asInt(), errorCode.asText(), text(root.get("error_msg")), id);
		}
		JsonNode error = root.get("error");
		if (error != null && error.isObject()) {
			String code = text(error.get("code"));
			String type = text(error.get("type"));
			return new VendorError(null, (code != null) ? code : type, text(error.get("message")), id);
		}
		if (error != null && error.isTextual()) {
			return new VendorError(null, error.asText(), text(root.get("error_description")), id);
		}
		return null;
	}

	/**
	 * The finish reason in this package's vocabulary: lower case, v1's {@code normal}
	 * becomes {@code stop}; a truncated answer is {@code length}; an answer ERNIE flags
	 * as risky ({@code need_clear_history}, {@code flag} 2) is {@code content_filter}.
	 * @param vendorReason the vendor's reason, may be {@code null}
	 * @param truncated v1 {@code is_truncated}
	 * @param needClearHistory {@code need_clear_history}
	 * @param flag the safety {@code flag}, may be {@code null}
	 * @return the reason, {@code null} only when the vendor gave none and nothing else
	 * applies
	 */
	static String finishReason(String vendorReason, Boolean truncated, Boolean needClearHistory, Integer flag) {
		if (Boolean.TRUE.equals(needClearHistory) || (flag != null && flag == 2)) {
			return CONTENT_FILTER;
		}
		String reason = (vendorReason != null && !vendorReason.isBlank()) ? vendorReason.toLowerCase(Locale.ROOT)
				: null;
		if ("normal".equals(reason)) {
			reason = "stop";
		}
		if (Boolean.TRUE.equals(truncated) && (reason == null || "stop".equals(reason))) {
			return "length";
		}
		return reason;
	}

	/**
	 * Whether a safety {@code flag} forbids showing the answer at all: 3 "must not be
	 * displayed", 4 "withdraw what was displayed" (0/absent safe, 1 low risk, 2 "no
	 * further chat").
	 * @param flag the flag, may be {@code null}
	 * @return {@code true} to fail with {@code CONTENT_FILTERED}
	 */
	static boolean forbidsDisplay(Integer flag) {
		return flag != null && flag >= 3;
	}

	private static String text(JsonNode node) {
		return (node == null || node.isNull() || node.isContainerNode()) ? null : node.asText();
	}

	/**
	 * An error found in a body.
	 *
	 * @param number the v1 numeric {@code error_code}, or {@code null}
	 * @param code the code as text (v1 number, v2 {@code error.code}/{@code type}, OAuth
	 * {@code error})
	 * @param message the vendor's message, may be {@code null}
	 * @param requestId the body's {@code id}, may be {@code null}
	 */
	record VendorError(Integer number, String code, String message, String requestId) {

	}

	record Message(String role, String content) {

		static Message of(ChatMessage message) {
			return new Message(message.role(), message.content());
		}

	}

	record Usage(@JsonProperty("prompt_tokens") int promptTokens,
			@JsonProperty("completion_tokens") int completionTokens, @JsonProperty("total_tokens") int totalTokens) {

		TokenUsage toTokenUsage() {
			return new TokenUsage(this.promptTokens, this.completionTokens, this.totalTokens);
		}

		static TokenUsage of(Usage usage) {
			return (usage != null) ? usage.toTokenUsage() : null;
		}

	}

	/** v1 chat body. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record V1Request(List<Message> messages, String system, boolean stream, Double temperature,
			@JsonProperty("max_output_tokens") Integer maxOutputTokens, @JsonProperty("user_id") String userId) {

	}

	/** v1 answer or stream event. */
	record V1Response(String id, String result, @JsonProperty("is_end") Boolean isEnd,
			@JsonProperty("is_truncated") Boolean isTruncated,
			@JsonProperty("need_clear_history") Boolean needClearHistory,
			@JsonProperty("finish_reason") String finishReason, Integer flag, Usage usage) {

	}

	/** v2 chat body. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record V2Request(String model, List<Message> messages, boolean stream,
			@JsonProperty("stream_options") StreamOptions streamOptions, Double temperature,
			@JsonProperty("max_tokens") Integer maxTokens, String user) {

	}

	record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {

	}

	/** v2 answer or stream chunk. */
	record V2Response(String id, String model, List<V2Choice> choices, Usage usage) {

		V2Choice firstChoice() {
			return (this.choices == null || this.choices.isEmpty()) ? null : this.choices.get(0);
		}

	}

	record V2Choice(Message message, Message delta, @JsonProperty("finish_reason") String finishReason,
			@JsonProperty("is_end") Boolean isEnd, @JsonProperty("need_clear_history") Boolean needClearHistory,
			Integer flag) {

	}

	/** OAuth token answer. */
	record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_in") Long expiresIn) {

	}

}
