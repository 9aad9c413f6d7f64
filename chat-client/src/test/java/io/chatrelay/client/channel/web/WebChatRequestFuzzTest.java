package io.chatrelay.client.channel.web;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatrelay.client.FuzzCampaign;

import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the body of {@code POST /api/v1/chat}: any bytes through the message converter
 * Spring MVC uses for {@code @RequestBody} (with the client's own Jackson configuration),
 * then {@link WebChatRequest#problems}. A body is unreadable
 * ({@link HttpMessageNotReadableException}, answered 400), or read and then either
 * rejected with problems (400) or valid; no other exception (a 500) may escape. A valid
 * request has ids and a message within the documented rules and reads back the same once
 * written.
 */
class WebChatRequestFuzzTest {

	private static final int MAX_MESSAGE_CHARS = 16_000;

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

	private static final ObjectMapper JSON = AppObjectMapper.load();

	private final MappingJackson2HttpMessageConverter converter = new MappingJackson2HttpMessageConverter(JSON);

	@FuzzCampaign
	void readsAValidRequestOrAnswersBadRequest(byte[] body) throws IOException {
		WebChatRequest request;
		try {
			request = (WebChatRequest) this.converter.read(WebChatRequest.class, new MockHttpInputMessage(body));
		}
		catch (HttpMessageNotReadableException | IOException ex) {
			// Spring MVC's argument resolver wraps an IOException of the converter (such
			// as Jackson's CharConversionException for bytes it takes for UTF-32) into
			// HttpMessageNotReadableException as well: both are a 400.
			return;
		}
		if (request == null) {
			return;
		}
		List<String> problems = request.problems(MAX_MESSAGE_CHARS, true);
		if (!problems.isEmpty()) {
			assertThat(problems).allMatch((problem) -> !problem.isBlank());
			return;
		}
		assertThat(request.conversationId()).matches(ID);
		assertThat(request.userId()).matches(ID);
		assertThat(request.message()).isNotBlank().hasSizeLessThanOrEqualTo(MAX_MESSAGE_CHARS);
		assertThat(JSON.readValue(JSON.writeValueAsBytes(request), WebChatRequest.class)).isEqualTo(request);
	}

}
