package io.chatrelay.client.channel.web;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebChatRequestTest {

	@Test
	void validRequestHasNoProblems() {
		assertThat(new WebChatRequest("c-1.a:b@x", "u_1", "你好").problems(100, true)).isEmpty();
	}

	@Test
	void namesEveryMissingField() {
		assertThat(new WebChatRequest(null, null, null).problems(100, true))
			.containsExactly("conversationId is required", "userId is required", "message is required");
	}

	@Test
	void rejectsEmptyAndBlankMessages() {
		assertThat(new WebChatRequest("c", "u", "   ").problems(100, true))
			.containsExactly("message must not be empty");
	}

	@Test
	void rejectsUnknownCharactersInIds() {
		assertThat(new WebChatRequest("c 1/../x", "u}{", "hi").problems(100, true)).hasSize(2)
			.allSatisfy((problem) -> assertThat(problem).contains("must be 1 to 128 characters"));
	}

	@Test
	void rejectsOverlongIdsAndMessages() {
		assertThat(new WebChatRequest("c".repeat(129), "u", "x".repeat(101)).problems(100, true)).hasSize(2);
	}

	@Test
	void theUserIdIsNotReadWhenTheCredentialNamesTheUser() {
		assertThat(new WebChatRequest("c", null, "hi").problems(100, false)).isEmpty();
		assertThat(new WebChatRequest("c", "u}{", "hi").problems(100, false)).isEmpty();
		assertThat(new WebChatRequest("c", null, "hi").problems(100, true)).containsExactly("userId is required");
	}

	@Test
	void aBodyThatNamesAFieldTwiceIsUnreadableNotAServerError() {
		MappingJackson2HttpMessageConverter converter = new MappingJackson2HttpMessageConverter(AppObjectMapper.load());
		byte[] body = "{\"conversationId\":\"c1\",\"userId\":\"u1\",\"message\":\"hi\",\"userId\":\"u2\"}"
			.getBytes(StandardCharsets.UTF_8);

		// Spring answers HttpMessageNotReadableException with 400; any other conversion
		// failure (Jackson's definition error for a repeated record property) with 500.
		assertThatThrownBy(() -> converter.read(WebChatRequest.class, new MockHttpInputMessage(body)))
			.isInstanceOf(HttpMessageNotReadableException.class);
	}

}
