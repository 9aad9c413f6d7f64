package io.chatrelay.client.intake;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.chatrelay.client.inbox.InboxPressure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OverloadFilterTest {

	private final InboxPressure pressure = new InboxPressure(Duration.ofMillis(200));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final OverloadFilter filter = new OverloadFilter(this.pressure,
			new MessageIntake(null, null, this.meters, this.pressure));

	@AfterEach
	void close() {
		this.pressure.close();
	}

	@Test
	void passesCallbacksWhileTheNodeKeepsUp() throws Exception {
		AtomicBoolean passed = new AtomicBoolean();
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(new MockHttpServletRequest("POST", "/callback/dingtalk"), response,
				(req, res) -> passed.set(true));

		assertThat(passed).isTrue();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void refusesACallbackBeforeReadingItWhileTheNodeIsPastItsCapacity() throws Exception {
		this.pressure.started(10_000);
		await().atMost(Duration.ofSeconds(3)).until(() -> this.pressure.refusedShare() == 1);
		AtomicBoolean passed = new AtomicBoolean();
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/callback/dingtalk");
		request.setContent("{\"msgId\":\"m1\"}".getBytes());
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.filter.doFilter(request, response, (req, res) -> passed.set(true));

		assertThat(passed).as("nothing behind the filter ran").isFalse();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
		assertThat(this.meters.get("chat.client.callbacks")
			.tags("channel", "dingtalk", "outcome", "refused")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void letsAPlatformVerifyItsUrlEvenThen() throws Exception {
		this.pressure.started(10_000);
		await().atMost(Duration.ofSeconds(3)).until(() -> this.pressure.refusedShare() == 1);
		AtomicBoolean passed = new AtomicBoolean();

		this.filter.doFilter(new MockHttpServletRequest("GET", "/callback/wecom"), new MockHttpServletResponse(),
				(req, res) -> passed.set(true));

		assertThat(passed).isTrue();
	}

	@Test
	void namesTheChannelOfACallbackPath() {
		assertThat(OverloadFilter.channelOf("/callback/wecom-bot")).isEqualTo("wecom-bot");
		assertThat(OverloadFilter.channelOf("/callback/feishu/extra")).isEqualTo("feishu");
		assertThat(OverloadFilter.channelOf("/callback/")).isEqualTo("unknown");
		assertThat(OverloadFilter.channelOf("/elsewhere")).isEqualTo("unknown");
	}

}
