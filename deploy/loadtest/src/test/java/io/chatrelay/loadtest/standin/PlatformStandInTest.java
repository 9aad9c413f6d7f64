package io.chatrelay.loadtest.standin;

import io.chatrelay.client.dispatch.Apology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformStandInTest {

	@Test
	void tellsTheClientsBusyApologyFromOtherReplies() {
		String busy = "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"reply\",\"text\":\"" + Apology.BUSY + "\"}}";

		assertThat(PlatformStandIn.busy(busy)).isTrue();
		assertThat(
				PlatformStandIn.busy("{\"msgtype\":\"markdown\",\"markdown\":{\"text\":\"" + Apology.FAILED + "\"}}"))
			.isFalse();
		assertThat(PlatformStandIn.busy("{\"text\":\"" + LlmStandIn.ANSWER_PREFIX + "LTIDx.\"}")).isFalse();
	}

}
