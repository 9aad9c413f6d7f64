package io.chatrelay.client.intake;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.chatrelay.client.channel.dingtalk.DingTalkProperties;
import io.chatrelay.client.channel.feishu.FeishuProperties;
import io.chatrelay.client.channel.wecom.WeComProperties;
import io.chatrelay.client.channel.wecombot.WeComBotProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each platform's callback path is held to its own body limit, bound from the channels'
 * real settings records with their defaults (as Spring binds them) or an override.
 */
class CallbackBodyLimitsTest {

	private static final Map<String, String> OVERRIDE = Map.of("chat.client.channel.dingtalk.max-body-bytes", "2048");

	@ParameterizedTest
	@CsvSource({ "/callback/wecom, 65536", "/callback/wecom-bot, 131072", "/callback/dingtalk, 65536",
			"/callback/feishu, 262144" })
	void eachPlatformHasItsOwnDefaultLimit(String path, int limit) throws Exception {
		CallbackBodyLimits limits = new CallbackBodyLimits(channels(Map.of()));

		assertThat(limits.limit(path)).isEqualTo(limit);
		assertThat(filter(limits, path, limit).passed).as("a body of exactly the limit").isTrue();
		Outcome over = filter(limits, path, limit + 1);
		assertThat(over.passed).as("a body one byte over the limit").isFalse();
		assertThat(over.response.getStatus()).isEqualTo(413);
		assertThat(over.response.getHeader("Connection")).isEqualTo("close");
	}

	@Test
	void aLimitCanBeOverriddenPerPlatform() throws Exception {
		CallbackBodyLimits limits = new CallbackBodyLimits(channels(OVERRIDE));

		assertThat(limits.limit("/callback/dingtalk")).isEqualTo(2048);
		assertThat(limits.limit("/callback/dingtalk/")).isEqualTo(2048);
		assertThat(limits.limit("/callback/feishu")).isEqualTo(262144);
		assertThat(filter(limits, "/callback/dingtalk", 2049).response.getStatus()).isEqualTo(413);
	}

	@Test
	void aPathNoChannelServesGetsTheSmallestLimit() {
		CallbackBodyLimits limits = new CallbackBodyLimits(channels(OVERRIDE));

		assertThat(limits.limit("/callback/unknown")).isEqualTo(2048);
		assertThat(limits.limit("/callback/")).isEqualTo(2048);
		assertThat(limits.limit("/elsewhere")).isEqualTo(2048);
	}

	@Test
	void aBodyWithoutADeclaredLengthFailsWhenItPassesThePlatformsLimit() throws Exception {
		CallbackBodyLimits limits = new CallbackBodyLimits(channels(Map.of()));
		MockHttpServletRequest request = request("/callback/dingtalk", 65537);
		request.removeHeader("Content-Length");
		request.setContent(new byte[65537]);
		AtomicBoolean failed = new AtomicBoolean();
		FilterChain chain = (req, res) -> {
			InputStream in = req.getInputStream();
			assertThatThrownBy(in::readAllBytes).isInstanceOf(PayloadTooLargeException.class);
			failed.set(true);
		};

		new BodyLimitFilter(limits::limit).doFilter(unsized(request), new MockHttpServletResponse(), chain);

		assertThat(failed).isTrue();
	}

	private static List<ChannelSettings> channels(Map<String, String> properties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		return List.of(binder.bindOrCreate("chat.client.channel.wecom", WeComProperties.class),
				binder.bindOrCreate("chat.client.channel.wecom-bot", WeComBotProperties.class),
				binder.bindOrCreate("chat.client.channel.dingtalk", DingTalkProperties.class),
				binder.bindOrCreate("chat.client.channel.feishu", FeishuProperties.class));
	}

	private static Outcome filter(CallbackBodyLimits limits, String path, int length) throws Exception {
		Outcome outcome = new Outcome();
		new BodyLimitFilter(limits::limit).doFilter(request(path, length), outcome.response,
				(req, res) -> outcome.passed = true);
		return outcome;
	}

	private static MockHttpServletRequest request(String path, int length) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
		request.setContent(new byte[length]);
		return request;
	}

	/** A request that does not declare its length (chunked). */
	private static HttpServletRequest unsized(MockHttpServletRequest request) throws IOException {
		return new jakarta.servlet.http.HttpServletRequestWrapper(request) {

			@Override
			public long getContentLengthLong() {
				return -1;
			}

			@Override
			public int getContentLength() {
				return -1;
			}

		};
	}

	private static final class Outcome {

		private final MockHttpServletResponse response = new MockHttpServletResponse();

		private boolean passed;

	}

}
